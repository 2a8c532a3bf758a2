/**
 * A token accepted by the baseline: still a failure, but every format says it is accepted (who, why, until when),
 * as the tenant reports do; an expired entry is shown as failing again.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { applyTokenBaseline } from '../../../src/core/baseline.js';
import type { Baseline } from '../../../src/core/baseline.js';
import { auditTokens } from '../../../src/core/token/audit.js';
import type { DecodedToken, TokenReport } from '../../../src/core/token/types.js';
import { renderTokenCsv } from '../../../src/report/csv.js';
import { renderTokenJunit } from '../../../src/report/junit.js';
import { renderTokenSarif } from '../../../src/report/sarif.js';
import { renderTokenJson } from '../../../src/report/token/json.js';
import { renderTokenMarkdown } from '../../../src/report/token/markdown.js';
import { renderTokenTable } from '../../../src/report/token/table.js';
import type { RenderOptions } from '../../../src/report/types.js';
import { readJson } from '../../golden/ci/support.js';
import { goldenFiles } from '../../helpers/golden.js';
import { FIXTURE_NOW, loadClaims } from '../../helpers/tokens.js';

const header = { typ: 'JWT', alg: 'RS256', x5t: 'key-1', kid: 'key-1' };
const decoded = (name: string, source: string): DecodedToken => ({ header, payload: loadClaims(name), source });
const plain: RenderOptions = { color: false, verbose: false, now: FIXTURE_NOW, width: 100 };
const golden = goldenFiles(new URL('golden/', import.meta.url));

function audited(): TokenReport {
  const report = auditTokens(
    [decoded('pc-v1-app-user-password-only', 'stdin line 1'), decoded('pc-v1-app-only', 'stdin line 2')],
    { profile: 'partner-center', now: FIXTURE_NOW },
  );
  report.generatedAt = FIXTURE_NOW.toISOString();
  return report;
}

const entry = (expires: string) => ({
  subject: 'adele@contoso-partner.onmicrosoft.com',
  reason: 'Legacy sync tool, replaced in Q1',
  owner: 'secops@contoso.com',
  expires,
});

function withBaseline(expires: string): TokenReport {
  const baseline: Baseline = {
    format: 'mfa-audit-baseline/1',
    entries: [entry(expires), { subject: 'gone@contoso.com', reason: 'left', owner: 'it@contoso.com', expires }],
  };
  return applyTokenBaseline(audited(), baseline, { now: FIXTURE_NOW, path: 'baseline.json' });
}

const accepted = () => withBaseline('2026-12-31');
const expired = () => withBaseline('2026-01-01');

describe('a baseline-accepted token in every format', () => {
  it('table: the verdict says accepted, with owner, expiry and reason; a baseline section; golden', () => {
    const text = renderTokenTable(accepted(), plain);
    expect(text).toMatch(/^Token 1 \(stdin line 1\): FAIL \(accepted\)/m);
    expect(text).toContain('accepted until 2026-12-31 by secops@contoso.com: Legacy sync tool, replaced in Q1');
    expect(text).toContain('1 fail (1 accepted by the baseline)');
    expect(text).toContain('unused, delete it: gone@contoso.com');
    golden('accepted.table.golden.txt', text);
  });

  it('table: an expired entry fails again, and says so', () => {
    const text = renderTokenTable(expired(), plain);
    expect(text).toMatch(/^Token 1 \(stdin line 1\): FAIL {2}/m);
    expect(text).toContain('baseline entry expired 2026-01-01: fails again');
    expect(text).toContain('expired: adele@contoso-partner.onmicrosoft.com');
  });

  it('markdown: the verdict cells and the token section say accepted; a baseline section; golden', () => {
    const text = renderTokenMarkdown(accepted(), plain);
    expect(text).toContain('| **FAIL** (accepted) |');
    expect(text).toContain('## Token 1 (stdin line 1): FAIL (accepted)');
    expect(text).toContain('_accepted until 2026-12-31 by secops@contoso.com: Legacy sync tool, replaced in Q1_');
    expect(text).toContain('### Baseline `baseline.json`');
    golden('accepted.markdown.golden.md', text);
    expect(renderTokenMarkdown(expired(), plain)).toContain('baseline entry expired 2026-01-01: fails again');
  });

  it('JSON: carries accepted / expiredAcceptance and the baseline summary, and validates against its schema', () => {
    const ajv = (
      (addFormatsModule as unknown as { default?: (a: Ajv2020) => Ajv2020 }).default ??
      (addFormatsModule as unknown as (a: Ajv2020) => Ajv2020)
    )(new Ajv2020({ strict: false }));
    const validate = ajv.compile(readJson('schemas/token-report.schema.json') as object);
    const json = JSON.parse(renderTokenJson(accepted(), plain)) as {
      baseline?: { accepted: number; unused: unknown[] };
      results: Array<{ verdict: string; accepted?: unknown }>;
    };
    expect(json.results[0]!.verdict).toBe('fail');
    expect(json.results[0]!.accepted).toEqual({
      reason: 'Legacy sync tool, replaced in Q1',
      owner: 'secops@contoso.com',
      expires: '2026-12-31',
    });
    expect(json.baseline).toMatchObject({ path: 'baseline.json', strict: false, accepted: 1 });
    expect(json.baseline?.unused).toHaveLength(1);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    const lapsed = JSON.parse(renderTokenJson(expired(), plain)) as typeof json & {
      results: Array<{ expiredAcceptance?: { expires: string } }>;
    };
    expect(lapsed.results[0]!.expiredAcceptance?.expires).toBe('2026-01-01');
    expect(validate(lapsed), JSON.stringify(validate.errors)).toBe(true);
  });

  it('CSV, JUnit and SARIF mark it accepted too', () => {
    const report = accepted();
    const csv = renderTokenCsv(report, plain).split('\n');
    expect(csv[1]).toContain(',yes,secops@contoso.com,2026-12-31,');
    expect(renderTokenJunit(report, plain)).toMatch(/<skipped message="accepted by baseline until 2026-12-31/);
    const sarif = JSON.parse(renderTokenSarif(report, plain)) as {
      runs: Array<{ results: Array<{ suppressions?: Array<{ status: string }> }> }>;
    };
    expect(sarif.runs[0]!.results[0]!.suppressions?.[0]?.status).toBe('accepted');
  });
});
