import type { TenantReport } from '../core/tenant/types.js';
import type { TokenReport } from '../core/token/types.js';
import type { RenderOptions, Reporter, ReportWriter } from './types.js';

/** Every report format, in the order help texts list them: the one list of formats. */
export const FORMATS = ['table', 'json', 'markdown', 'csv', 'junit', 'sarif', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/*
 * Reporters are imported only when used, so `--help` and a JSON run never load the table code (cli-table3, chalk).
 */
type Load<T> = () => Promise<T>;
type RenderChunks<R> = (result: R, options: RenderOptions) => Iterable<string>;

const tokenRenderers = {
  table: () => import('./token/table.js').then((m) => m.renderTokenTable),
  json: () => import('./token/json.js').then((m) => m.renderTokenJson),
  markdown: () => import('./token/markdown.js').then((m) => m.renderTokenMarkdown),
  csv: () => import('./csv.js').then((m) => m.renderTokenCsv),
  junit: () => import('./junit.js').then((m) => m.renderTokenJunit),
  sarif: () => import('./sarif.js').then((m) => m.renderTokenSarif),
  html: () => import('./html/token.js').then((m) => m.renderTokenHtml),
} satisfies Record<Format, Load<Reporter<TokenReport>>>;

const tenantRenderers = {
  table: () => import('./tenant/table.js').then((m) => m.renderTenantTable),
  json: () => import('./tenant/json.js').then((m) => m.renderTenantJson),
  markdown: () => import('./tenant/markdown.js').then((m) => m.renderTenantMarkdown),
  csv: () => import('./csv.js').then((m) => m.renderTenantCsv),
  junit: () => import('./junit.js').then((m) => m.renderTenantJunit),
  sarif: () => import('./sarif.js').then((m) => m.renderTenantSarif),
  html: () => import('./html/tenant.js').then((m) => m.renderTenantHtml),
} satisfies Record<Format, Load<Reporter<TenantReport>>>;

/** The tenant formats that reach hundreds of megabytes at 100,000 accounts: written chunk by chunk. */
const tenantChunks: Partial<Record<Format, Load<RenderChunks<TenantReport>>>> = {
  json: () => import('./tenant/json.js').then((m) => m.renderTenantJsonChunks),
  html: () => import('./html/tenant.js').then((m) => m.renderTenantHtmlChunks),
};

/** A format rendered whole and written as one chunk. */
function whole<R>(load: Load<Reporter<R>>): ReportWriter<R> {
  return {
    async write(sink, result, options) {
      const render = await load();
      await sink.write(render(result, options));
    },
  };
}

/** A format rendered chunk by chunk: each chunk is written, and the write waited for, before the next is rendered. */
function chunked<R>(load: Load<RenderChunks<R>>): ReportWriter<R> {
  return {
    async write(sink, result, options) {
      const render = await load();
      for (const chunk of render(result, options)) await sink.write(chunk);
    },
  };
}

function byFormat<T>(make: (format: Format) => T): Record<Format, T> {
  return Object.fromEntries(FORMATS.map((format) => [format, make(format)])) as Record<Format, T>;
}

/**
 * Every format of every command: `REPORTERS.tenant.json.write(sink, report, options)`. The tenant JSON and HTML
 * reports come in chunks (they are the ones that reach hundreds of megabytes); every other format is written whole.
 */
export const REPORTERS: {
  readonly token: Readonly<Record<Format, ReportWriter<TokenReport>>>;
  readonly tenant: Readonly<Record<Format, ReportWriter<TenantReport>>>;
} = {
  token: byFormat((format) => whole(tokenRenderers[format])),
  tenant: byFormat((format) => {
    const chunks = tenantChunks[format];
    return chunks ? chunked(chunks) : whole(tenantRenderers[format]);
  }),
};
