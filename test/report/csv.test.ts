import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyTokenBaseline } from '../../src/core/baseline.js';
import { csvCell, renderTenantCsv, renderTokenCsv } from '../../src/report/csv.js';
import { CASES, RENDER_OPTIONS, expectGolden, tenantReport, tokenReport } from '../golden/ci/support.js';
import { parseCsv } from '../helpers/csv.js';

describe('CSV reporter', () => {
  for (const name of CASES) {
    it(`tenant ${name}: golden; one row per account, every row as wide as the header`, () => {
      const text = renderTenantCsv(tenantReport(name), RENDER_OPTIONS);
      expectGolden(`tenant-${name}.golden.csv`, text);
      const rows = parseCsv(text);
      expect(rows).toHaveLength(tenantReport(name).accounts.length + 1);
      for (const row of rows) expect(row).toHaveLength(rows[0]!.length);
    });
    it(`token ${name}: golden; one row per token`, () => {
      const text = renderTokenCsv(tokenReport(name), RENDER_OPTIONS);
      expectGolden(`token-${name}.golden.csv`, text);
      const rows = parseCsv(text);
      expect(rows).toHaveLength(tokenReport(name).results.length + 1);
      for (const row of rows) expect(row).toHaveLength(rows[0]!.length);
    });
  }

  it('numbers tokens from 1, as the text report does ("Token 1")', () => {
    const rows = parseCsv(renderTokenCsv(tokenReport('mixed')));
    const index = rows[0]!.indexOf('index');
    expect(rows.slice(1).map((row) => row[index])).toEqual(['1', '2', '3', '4']);
  });

  it('defuses formulas from tenant data (= + - @ tab CR) with a leading quote', () => {
    const rows = parseCsv(renderTenantCsv(tenantReport('mixed')));
    const header = rows[0]!;
    const svc = rows.find((row) => row[header.indexOf('userPrincipalName')] === 'svc-backup@contoso.com')!;
    expect(svc[header.indexOf('displayName')]).toBe('\'=HYPERLINK("http://evil","x")');
    const tokens = parseCsv(renderTokenCsv(tokenReport('mixed')));
    expect(tokens[4]![tokens[0]!.indexOf('subject')]).toBe("'=cmd|' /C calc'!A0");
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}x`)).toMatch(/^"?'/);
    expect(csvCell('plain')).toBe('plain');
    // Terminal escapes and bidi overrides from tenant data never reach a spreadsheet or a `cat` raw.
    expect(csvCell('a\u001b[31mb\u0000\u202e')).toBe('a\\u001b[31mb\\u0000\\u202e');
    expect(csvCell('line 1\nline 2\tx')).toBe('"line 1\nline 2\tx"');
    expect(csvCell(0)).toBe('0');
  });

  it('quotes per RFC 4180 and round-trips any text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 6 }), (cells) => {
        const line = cells.map(csvCell).join(',') + '\r\n';
        const [row] = parseCsv(line);
        const expected = cells.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell));
        expect(row).toEqual(expected);
      }),
    );
  });

  it('shows accepted exceptions in their own columns', () => {
    const report = applyTokenBaseline(
      tokenReport('mixed'),
      {
        format: 'mfa-audit-baseline/1',
        entries: [
          { subject: 'bob@contoso.com', reason: 'Vendor, fix due', owner: 'it@contoso.com', expires: '2026-12-01' },
        ],
      },
      { now: new Date('2026-11-21T00:00:00Z') },
    );
    const rows = parseCsv(renderTokenCsv(report));
    const header = rows[0]!;
    expect(rows[2]![header.indexOf('accepted')]).toBe('yes');
    expect(rows[2]![header.indexOf('acceptedReason')]).toBe('Vendor, fix due');
    expect(rows[2]![header.indexOf('verdict')]).toBe('fail');
  });
});
