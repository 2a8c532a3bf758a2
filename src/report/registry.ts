import type { TenantReport } from '../core/tenant/types.js';
import type { TokenReport } from '../core/token/types.js';
import type { Reporter } from './types.js';

/**
 * Every format of every command, as a plain object. Reporters are imported only when used, so `--help` and a
 * JSON run never load the table code (cli-table3, chalk).
 */
type LazyReporter<R> = () => Promise<Reporter<R>>;

/** Every report format, in the order help texts list them: the one list of formats. */
export const FORMATS = ['table', 'json', 'markdown', 'csv', 'junit', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export const tokenReporters = {
  table: () => import('./token/table.js').then((m) => m.renderTokenTable),
  json: () => import('./token/json.js').then((m) => m.renderTokenJson),
  markdown: () => import('./token/markdown.js').then((m) => m.renderTokenMarkdown),
  csv: () => import('./csv.js').then((m) => m.renderTokenCsv),
  junit: () => import('./junit.js').then((m) => m.renderTokenJunit),
  sarif: () => import('./sarif.js').then((m) => m.renderTokenSarif),
} satisfies Record<Format, LazyReporter<TokenReport>>;

export const tenantReporters = {
  table: () => import('./tenant/table.js').then((m) => m.renderTenantTable),
  json: () => import('./tenant/json.js').then((m) => m.renderTenantJson),
  markdown: () => import('./tenant/markdown.js').then((m) => m.renderTenantMarkdown),
  csv: () => import('./csv.js').then((m) => m.renderTenantCsv),
  junit: () => import('./junit.js').then((m) => m.renderTenantJunit),
  sarif: () => import('./sarif.js').then((m) => m.renderTenantSarif),
} satisfies Record<Format, LazyReporter<TenantReport>>;

export type TokenFormat = keyof typeof tokenReporters;
export type TenantFormat = keyof typeof tenantReporters;
