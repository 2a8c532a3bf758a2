import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FORMATS, REPORTERS, tenantReporters, tokenReporters } from '../../src/report/registry.js';
import { writableSink } from '../../src/report/sink.js';
import type { ReportSink } from '../../src/report/types.js';
import { RENDER_OPTIONS, tenantReport, tokenReport } from '../golden/ci/support.js';
import { largeReport } from './tenant/sample-reports.js';

function collector(): ReportSink & { text(): string; chunks: string[] } {
  const chunks: string[] = [];
  return { chunks, write: (chunk) => void chunks.push(chunk), text: () => chunks.join('') };
}

describe('report registry', () => {
  it('has a reporter for every format of both commands, and no other', () => {
    expect(Object.keys(REPORTERS.token)).toEqual([...FORMATS]);
    expect(Object.keys(REPORTERS.tenant)).toEqual([...FORMATS]);
    expect(Object.keys(tokenReporters)).toEqual([...FORMATS]);
    expect(Object.keys(tenantReporters)).toEqual([...FORMATS]);
  });

  it.each(FORMATS)('%s: writes the same text as the whole-text reporter, ending with a newline', async (format) => {
    const token = collector();
    await REPORTERS.token[format].write(token, tokenReport('mixed'), RENDER_OPTIONS);
    expect(token.text()).toBe((await tokenReporters[format]())(tokenReport('mixed'), RENDER_OPTIONS));
    const tenant = collector();
    await REPORTERS.tenant[format].write(tenant, tenantReport('mixed'), RENDER_OPTIONS);
    expect(tenant.text()).toBe((await tenantReporters[format]())(tenantReport('mixed'), RENDER_OPTIONS));
    expect(tenant.text().endsWith('\n')).toBe(true);
  });

  it('the deprecated tenant JSON reporter still offers its chunks', async () => {
    const json = await tenantReporters.json();
    const report = tenantReport('mixed');
    expect([...json.chunks(report, RENDER_OPTIONS)].join('')).toBe(json(report, RENDER_OPTIONS));
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
