/**
 * Entra's evidence (evaluation.md §9) in every tenant format: What If confirmations of gaps, sign-in evidence, the
 * verdict the policies alone gave, the report's What If counts and sign-in window. Golden files of a report that
 * holds all of them; reports without them are covered by the other goldens, which must not change.
 */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { TenantReport } from '../../../src/core/tenant/types.js';
import { renderTenantCsv } from '../../../src/report/csv.js';
import { renderTenantJunit } from '../../../src/report/junit.js';
import { renderTenantSarif } from '../../../src/report/sarif.js';
import { renderTenantJson, renderTenantJsonChunks } from '../../../src/report/tenant/json.js';
import { renderTenantMarkdown } from '../../../src/report/tenant/markdown.js';
import { renderTenantTable } from '../../../src/report/tenant/table.js';
import type { RenderOptions } from '../../../src/report/types.js';
import { expectGolden as expectCiGolden } from '../../golden/ci/support.js';
import { goldenFiles } from '../../helpers/golden.js';
import { stripAnsi } from './ansi.js';
import { evidenceReport, mixedReport } from './sample-reports.js';

const expectGolden = goldenFiles(new URL('golden/', import.meta.url));
const plain: RenderOptions = { color: false, verbose: false, now: new Date('2026-11-21T12:00:00Z'), width: 100 };
const verbose: RenderOptions = { ...plain, verbose: true };

/** Every renderer of the tenant report, by format. */
const RENDER: Record<string, (report: TenantReport, options: RenderOptions) => string> = {
  json: renderTenantJson,
  table: renderTenantTable,
  markdown: renderTenantMarkdown,
  csv: renderTenantCsv,
  junit: renderTenantJunit,
  sarif: renderTenantSarif,
};

/** The report with every evidence field taken out, as a snapshot without What If answers or sign-ins gives it. */
function withoutEvidence(report: TenantReport): TenantReport {
  const { whatIf: _w, signIns: _s, ...rest } = report;
  const evidenceFindings = new Set(['what-if-disagrees', 'sign-in-contradicts-pass']);
  return {
    ...rest,
    findings: report.findings.filter((finding) => !evidenceFindings.has(finding.id)),
    accounts: report.accounts.map(({ evidence: _e, engineVerdict: _v, ...account }) => ({
      ...account,
      gaps: account.gaps.map(({ confirmation: _c, ...gap }) => gap),
    })),
  };
}

describe('evidence from Entra in the tenant reports', () => {
  it('matches the golden files in every format', () => {
    const report = evidenceReport();
    expectGolden('evidence.json.golden.json', renderTenantJson(report, plain));
    expectGolden('evidence.table.golden.txt', renderTenantTable(report, plain));
    expectGolden('evidence-verbose.table.golden.txt', renderTenantTable(report, verbose));
    expectGolden('evidence.markdown.golden.md', renderTenantMarkdown(report, plain));
    expectGolden('evidence-verbose.markdown.golden.md', renderTenantMarkdown(report, verbose));
    expectCiGolden('tenant-evidence.golden.csv', renderTenantCsv(report, plain));
    expectCiGolden('tenant-evidence.golden.xml', renderTenantJunit(report, plain));
    expectCiGolden('tenant-evidence.golden.sarif', renderTenantSarif(report, plain));
  });

  it('JSON: the chunks are the same bytes; evidence comes last, in a fixed order, whatever order the engine used', () => {
    const report = evidenceReport();
    const text = renderTenantJson(report, plain);
    expect([...renderTenantJsonChunks(report, plain)].join('')).toBe(text);
    const parsed = JSON.parse(text) as Record<string, unknown> & { accounts: Array<Record<string, unknown>> };
    expect(Object.keys(parsed).slice(-2)).toEqual(['whatIf', 'signIns']);
    const carol = parsed.accounts.find((a) => a.userPrincipalName === 'carol@contoso.com')!;
    expect(Object.keys(carol).slice(-1)).toEqual(['evidence']);
    const gap = (carol.gaps as Array<Record<string, unknown>>)[0]!;
    expect(Object.keys(gap)).toEqual(['description', 'policyIds', 'excludedBy', 'confirmation']);
    expect(Object.keys(gap.confirmation as object)).toEqual(['status', 'reason', 'entra']);
    const erik = parsed.accounts.find((a) => a.userPrincipalName === 'erik@contoso.com')!;
    expect(Object.keys(erik).slice(-2)).toEqual(['engineVerdict', 'evidence']);
    // The engine sets its fields in another order: the file is the same.
    const shuffled = evidenceReport();
    shuffled.accounts = shuffled.accounts.map(({ evidence, engineVerdict, ...a }) => ({
      ...(evidence ? { evidence } : {}),
      ...(engineVerdict ? { engineVerdict } : {}),
      ...a,
    }));
    const { whatIf, signIns, ...rest } = shuffled;
    const reordered = { signIns, ...rest, whatIf } as TenantReport;
    expect(renderTenantJson(reordered, plain)).toBe(text);
    expect([...renderTenantJsonChunks(reordered, plain)].join('')).toBe(text);
  });

  it('without evidence nothing of it is written, in any format', () => {
    const bare = withoutEvidence(evidenceReport());
    for (const [format, render] of Object.entries(RENDER)) {
      const text = render(bare, verbose);
      expect(text, format).not.toMatch(/DISPUTED|confirmed by Entra|not checkable with|policies alone|sign-ins \(/);
      expect(text, format).not.toMatch(/Entra What If:|Sign-ins read|"(whatIf|signIns|evidence|engineVerdict)"/);
      expect(text, format).not.toMatch(/"(confirmation|gapConfirmations|disputedBy)"|whatIf\.|evidence: /);
    }
    // The mixed report has no evidence: its text is what it was (its goldens are unchanged).
    expect(renderTenantJson(withoutEvidence(mixedReport()), plain)).toBe(renderTenantJson(mixedReport(), plain));
  });

  it('the table and markdown say confirmed, DISPUTED with the policy, the sign-ins, and the window (truncated)', () => {
    const table = stripAnsi(renderTenantTable(evidenceReport(), { ...plain, color: true, width: 200 }));
    expect(table).toContain('confirmed by Entra What If');
    expect(table).toContain('DISPUTED: Entra says policy 0b1c2d3e-0000-4000-8000-000000000007 applies');
    expect(table).toContain(
      'sign-ins (last 30 days): 3 without MFA, last 2026-11-20 Outlook | <Mobile>\\u202e from 203.0.113.7 (Amsterdam, NL); 41 with MFA',
    );
    expect(table).toContain('the policies alone said pass');
    expect(table).toMatch(/Entra What If: 3 requests, 3 answered: 1 confirmed, 1 disputed/);
    expect(table).toMatch(
      /Sign-ins read from 2026-10-21T12:00:00Z to 2026-11-20T12:00:00Z \(last 30 days\), truncated/,
    );
    const markdown = renderTenantMarkdown(evidenceReport(), plain);
    expect(markdown).toContain('**DISPUTED: Entra says policy 0b1c2d3e-0000-4000-8000-000000000007 applies');
    expect(markdown).toContain('Outlook \\| &lt;Mobile&gt;\\\\u202e from 203.0.113.7');
  });

  it('untrusted sign-in text is escaped in every format for people and CI (no raw bidi control, no formula)', () => {
    // JSON is data: it carries the text as the logs gave it (JSON.stringify escapes the C0 controls).
    for (const [format, render] of Object.entries(RENDER).filter(([format]) => format !== 'json')) {
      const text = render(evidenceReport(), verbose);
      expect(text.includes('\u202e'), format).toBe(false);
    }
    const csv = renderTenantCsv(evidenceReport(), plain);
    expect(csv).not.toMatch(/,=HYPERLINK/);
    const junit = renderTenantJunit(evidenceReport(), plain);
    expect(() => new XMLParser().parse(junit) as unknown).not.toThrow();
    expect(junit).toContain('&lt;Mobile&gt;');
  });

  it('SARIF carries the evidence as properties of the results and of the run', () => {
    const log = JSON.parse(renderTenantSarif(evidenceReport(), plain)) as {
      runs: Array<{ properties: Record<string, unknown>; results: Array<{ properties: Record<string, unknown> }> }>;
    };
    const run = log.runs[0]!;
    expect(run.properties.whatIf).toMatchObject({ requests: 3, disputed: 1, notCheckable: 1 });
    expect(run.properties.signIns).toMatchObject({ truncated: true });
    const byUpn = new Map(run.results.map((r) => [r.properties.userPrincipalName, r.properties]));
    expect(byUpn.get('carol@contoso.com')).toMatchObject({
      gapConfirmations: ['confirmed', 'not-checkable'],
      signIns: { singleFactor: 3, mfa: 41 },
    });
    expect(byUpn.get('dave@contoso.com')).toMatchObject({
      gapConfirmations: ['disputed'],
      disputedBy: ['0b1c2d3e-0000-4000-8000-000000000007'],
      engineVerdict: 'fail',
    });
    expect(byUpn.get('erik@contoso.com')).toMatchObject({ engineVerdict: 'pass' });
  });

  it('CSV: the evidence columns come last, one value per account', () => {
    const lines = renderTenantCsv(evidenceReport(), plain).split('\r\n');
    expect(lines[0]).toMatch(
      /,baselineExpired,gapConfirmation,engineVerdict,signInsSingleFactor,signInsMfa,signInsLastSingleFactor$/,
    );
    const carol = lines.find((line) => line.includes('carol@contoso.com'))!;
    expect(carol).toMatch(/,confirmed \| not-checkable,,3,41,"?2026-11-20 Outlook/);
  });
});
