import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { renderTenantCsv, renderTokenCsv } from '../../src/report/csv.js';
import { renderTenantHtml } from '../../src/report/html/tenant.js';
import { renderTokenHtml } from '../../src/report/html/token.js';
import { renderTenantJunit, renderTokenJunit } from '../../src/report/junit.js';
import type { Format } from '../../src/report/registry.js';
import { FORMATS, REPORTERS } from '../../src/report/registry.js';
import { renderTenantSarif, renderTokenSarif } from '../../src/report/sarif.js';
import { renderTenantJson } from '../../src/report/tenant/json.js';
import { renderTenantMarkdown } from '../../src/report/tenant/markdown.js';
import { renderTenantTable } from '../../src/report/tenant/table.js';
import { renderTokenJson } from '../../src/report/token/json.js';
import { renderTokenMarkdown } from '../../src/report/token/markdown.js';
import { renderTokenTable } from '../../src/report/token/table.js';
import { writableSink } from '../../src/report/sink.js';
import type { Reporter, ReportSink } from '../../src/report/types.js';
import type { TenantReport } from '../../src/core/tenant/types.js';
import type { TokenReport } from '../../src/core/token/types.js';
import { RENDER_OPTIONS, tenantReport, tokenReport } from '../golden/ci/support.js';
import { largeReport } from './tenant/sample-reports.js';

/** The whole-text renderers, imported directly (the registry loads them lazily). */
const TOKEN_TEXT: Record<Format, Reporter<TokenReport>> = {
  table: renderTokenTable,
  json: renderTokenJson,
  markdown: renderTokenMarkdown,
  csv: renderTokenCsv,
  junit: renderTokenJunit,
  sarif: renderTokenSarif,
  html: renderTokenHtml,
};
const TENANT_TEXT: Record<Format, Reporter<TenantReport>> = {
  table: renderTenantTable,
  json: renderTenantJson,
  markdown: renderTenantMarkdown,
  csv: renderTenantCsv,
  junit: renderTenantJunit,
  sarif: renderTenantSarif,
  html: renderTenantHtml,
};

function collector(): ReportSink & { text(): string; chunks: string[] } {
  const chunks: string[] = [];
  return { chunks, write: (chunk) => void chunks.push(chunk), text: () => chunks.join('') };
}

describe('report registry', () => {
  it('has a reporter for every format of both commands, and no other', () => {
    expect(Object.keys(REPORTERS.token)).toEqual([...FORMATS]);
    expect(Object.keys(REPORTERS.tenant)).toEqual([...FORMATS]);
  });

  it.each(FORMATS)('%s: writes the same text as the whole-text reporter, ending with a newline', async (format) => {
    const token = collector();
    await REPORTERS.token[format].write(token, tokenReport('mixed'), RENDER_OPTIONS);
    expect(token.text()).toBe(TOKEN_TEXT[format](tokenReport('mixed'), RENDER_OPTIONS));
    const tenant = collector();
    await REPORTERS.tenant[format].write(tenant, tenantReport('mixed'), RENDER_OPTIONS);
    expect(tenant.text()).toBe(TENANT_TEXT[format](tenantReport('mixed'), RENDER_OPTIONS));
    expect(tenant.text().endsWith('\n')).toBe(true);
  });

  it('writes a large tenant JSON report in chunks, rendering the next only once the last write is done', async () => {
    const report = largeReport(3000);
    const chunks: string[] = [];
    let pending = 0;
    const slow: ReportSink = {
      write: (chunk) => {
        expect(pending).toBe(0);
        pending += 1;
        chunks.push(chunk);
        return new Promise((resolve) => setTimeout(() => resolve(void (pending -= 1)), 1));
      },
    };
    await REPORTERS.tenant.json.write(slow, report, RENDER_OPTIONS);
    expect(chunks.length).toBeGreaterThan(1);
    expect(JSON.parse(chunks.join('')).accounts).toHaveLength(3000);
  });

  it('writes a large tenant HTML report in chunks, the account data in pieces', async () => {
    const report = largeReport(5000);
    const tenant = collector();
    await REPORTERS.tenant.html.write(tenant, report, RENDER_OPTIONS);
    expect(tenant.chunks.length).toBeGreaterThan(3);
    expect(tenant.text()).toBe(renderTenantHtml(report, RENDER_OPTIONS));
  });

  it('writes to a Node stream, waiting for drain when its buffer is full', async () => {
    const stream = new PassThrough({ highWaterMark: 16 });
    const read: Buffer[] = [];
    const writing = REPORTERS.tenant.json.write(writableSink(stream), largeReport(3000), RENDER_OPTIONS);
    stream.on('data', (chunk: Buffer) => read.push(chunk));
    await writing;
    stream.end();
    await new Promise((resolve) => stream.on('end', resolve));
    expect(JSON.parse(Buffer.concat(read).toString('utf8')).accounts).toHaveLength(3000);
  });

  it('rejects with the stream error instead of waiting for a drain that never comes', async () => {
    const stream = new PassThrough({ highWaterMark: 1 });
    const sink = writableSink(stream);
    const waiting = sink.write('more than one byte');
    stream.destroy(new Error('pipe closed'));
    await expect(waiting).rejects.toThrow('pipe closed');
  });
});
