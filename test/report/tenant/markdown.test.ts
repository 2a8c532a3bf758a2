import { describe, expect, it } from 'vitest';
import { renderTenantMarkdown } from '../../../src/report/tenant/markdown.js';
import type { RenderOptions } from '../../../src/report/types.js';
import { hasAnsi } from './ansi.js';
import { goldenFiles } from '../../helpers/golden.js';
import { emptyReport, incompleteReport, largeReport, mixedReport, passingReport } from './sample-reports.js';

const expectGolden = goldenFiles(new URL('golden/', import.meta.url));

const options: RenderOptions = { color: false, verbose: false, now: new Date('2026-11-21T12:00:00Z') };

/** Cells of a GitHub table row: split on pipes that are not escaped. */
function cells(row: string): string[] {
  return row
    .replace(/\\\|/g, '\u0000')
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

function tables(markdown: string): string[][] {
  const result: string[][] = [];
  let current: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) (current ??= []).push(line);
    else if (current) {
      result.push(current);
      current = undefined;
    }
  }
  if (current) result.push(current);
  return result;
}

describe('tenant markdown reporter', () => {
  it('matches the golden files (mixed, verbose, empty, passing, incomplete)', () => {
    expectGolden('mixed.markdown.golden.md', renderTenantMarkdown(mixedReport(), options));
    expectGolden(
      'mixed-verbose.markdown.golden.md',
      renderTenantMarkdown(mixedReport(), { ...options, verbose: true }),
    );
    expectGolden('empty.markdown.golden.md', renderTenantMarkdown(emptyReport(), options));
    expectGolden('passing.markdown.golden.md', renderTenantMarkdown(passingReport(), options));
    expectGolden('incomplete.markdown.golden.md', renderTenantMarkdown(incompleteReport(), options));
  });

  it('has a summary table, then failing and unknown accounts, then findings', () => {
    const text = renderTenantMarkdown(mixedReport(), options);
    const order = [
      '**FAIL**',
      '| **total** |',
      '### Failing accounts (3)',
      '### Unknown accounts (1)',
      '### Findings (4)',
    ];
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('| **total** | **9** | **3** | **3** | **2** | **1** |');
    // The failing list names the policies of the first gap by id.
    expect(text).toMatch(/`breakglass01@contoso.onmicrosoft.com`.*`0b1c2d3e-0000-4000-8000-000000000001`/);
  });

  it('keeps every table well formed, whatever the tenant puts in names and messages', () => {
    const report = mixedReport();
    report.accounts[0]!.gaps[0]!.description = 'a | pipe, a `tick`, <script>alert(1)</script>\nand a new line';
    report.accounts[0]!.userPrincipalName = 'odd|name`x@contoso.com';
    report.findings[0]!.message = 'finding with | pipe and **stars**';
    const text = renderTenantMarkdown(report, { ...options, verbose: true });
    for (const table of tables(text)) {
      const width = cells(table[0]!).length;
      for (const row of table) expect(cells(row)).toHaveLength(width);
    }
    expect(text).not.toContain('<script>');
    expect(text).toContain('&lt;script&gt;');
  });

  it('never says PASS for an incomplete audit, and says why an empty tenant passes', () => {
    expect(renderTenantMarkdown(incompleteReport(), options)).toContain('**INCOMPLETE**');
    const empty = renderTenantMarkdown(emptyReport(), options);
    expect(empty).toContain('**PASS**');
    expect(empty).toContain('no user objects');
  });

  it('stays small for a huge tenant unless --verbose (GitHub step summaries are capped at 1 MiB)', () => {
    const text = renderTenantMarkdown(largeReport(20_000), options);
    expect(text.length).toBeLessThan(64 * 1024);
    expect(text).toContain('… and 19900 more');
    const verbose = renderTenantMarkdown(largeReport(300), { ...options, verbose: true });
    expect(verbose).toContain('user000299@contoso.com');
  });

  it('never carries colour codes', () => {
    expect(hasAnsi(renderTenantMarkdown(mixedReport(), { ...options, color: true }))).toBe(false);
  });
});
