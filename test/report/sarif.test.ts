import { describe, expect, it } from 'vitest';
import { applyTenantBaseline, applyTokenBaseline } from '../../src/core/baseline.js';
import type { Baseline } from '../../src/core/baseline.js';
import { FINGERPRINT_KEY, renderTenantSarif, renderTokenSarif } from '../../src/report/sarif.js';
import {
  CASES,
  RENDER_OPTIONS,
  expectGolden,
  newAjv,
  readJson,
  tenantReport,
  tokenReport,
} from '../golden/ci/support.js';

interface SarifLog {
  version: string;
  runs: Array<{
    tool: {
      driver: {
        name: string;
        rules: Array<{ id: string; help: { text: string }; properties: Record<string, unknown> }>;
      };
    };
    automationDetails: { id: string };
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
      partialFingerprints: Record<string, string>;
      suppressions?: Array<{ kind: string; status: string; justification: string }>;
    }>;
  }>;
}

const validate = newAjv().compile(readJson('test/schemas/sarif-2.1.0-subset.schema.json') as object);

function parse(text: string): SarifLog {
  return JSON.parse(text) as SarifLog;
}

/** What GitHub code scanning needs beyond the schema (its "SARIF support" page). */
function expectGitHubReady(log: SarifLog): void {
  expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  for (const run of log.runs) {
    const ids = run.tool.driver.rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of run.tool.driver.rules) {
      expect(rule.help.text.length).toBeGreaterThan(0);
      expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
    }
    const fingerprints = new Set<string>();
    for (const result of run.results) {
      expect(ids[result.ruleIndex]).toBe(result.ruleId);
      const location = result.locations[0]?.physicalLocation;
      expect(location?.region.startLine).toBe(1);
      // Relative, no scheme, no fragment, no space: GitHub rejects other URIs or resolves them against the checkout.
      expect(location?.artifactLocation.uri).toMatch(/^mfa-audit\/[A-Za-z0-9._~%@!$&'()*+,;=:/-]+$/);
      const fingerprint = result.partialFingerprints[FINGERPRINT_KEY];
      expect(fingerprint).toMatch(/^[0-9a-f]{32}:\d+$/);
      expect(fingerprints.has(fingerprint as string)).toBe(false);
      fingerprints.add(fingerprint as string);
    }
  }
}

describe('SARIF reporter', () => {
  for (const name of CASES) {
    it(`token ${name}: golden, schema-valid, GitHub-ready`, () => {
      const text = renderTokenSarif(tokenReport(name), RENDER_OPTIONS);
      expectGolden(`token-${name}.golden.sarif`, text);
      expectGitHubReady(parse(text));
    });
    it(`tenant ${name}: golden, schema-valid, GitHub-ready`, () => {
      const text = renderTenantSarif(tenantReport(name), RENDER_OPTIONS);
      expectGolden(`tenant-${name}.golden.sarif`, text);
      expectGitHubReady(parse(text));
    });
  }

  it('has one result per failing or unknown account, one per non-info finding, none for pass/exempt', () => {
    const report = tenantReport('mixed');
    const results = parse(renderTenantSarif(report)).runs[0]!.results;
    const accounts = report.accounts.filter((a) => a.verdict === 'fail' || a.verdict === 'unknown');
    const findings = report.findings.filter((f) => f.severity !== 'info');
    expect(results).toHaveLength(accounts.length + findings.length);
    expect(results.map((r) => r.ruleId).sort()).toEqual(
      [
        'account-mfa-gap',
        'account-no-mfa',
        'account-undecided',
        'finding-legacy-auth-not-blocked',
        'finding-report-only-mfa-policy',
      ].sort(),
    );
    const erin = results.find((r) => r.message.text.startsWith('erin@contoso.com'));
    expect(erin?.message.text).toContain("browser sign-in to any app from trusted location 'HQ'");
    expect(erin?.level).toBe('error');
    expect(results.find((r) => r.ruleId === 'account-undecided')?.level).toBe('warning');
  });

  it('one result per failing or unknown token, ruled by the check that decides it', () => {
    const results = parse(renderTokenSarif(tokenReport('mixed'))).runs[0]!.results;
    expect(results.map((r) => r.ruleId)).toEqual(['token-mfa', 'token-mfa']);
    expect(results[0]!.message.text).toContain('lifetime fail');
    expect(results[1]!.level).toBe('warning');
  });

  it('encodes #EXT# guest ids and keeps the location path stable (object id, not UPN)', () => {
    const results = parse(renderTenantSarif(tenantReport('mixed'))).runs[0]!.results;
    const uris = results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toContain('mfa-audit/tenant/contoso.onmicrosoft.com/users/10000000-0000-0000-0000-000000000005');
    expect(uris.every((uri) => !uri.includes('#') && !uri.includes(' '))).toBe(true);
  });

  it('fingerprints ignore messages, times and order, and change with the account', () => {
    const report = tenantReport('mixed');
    const changed = structuredClone(report);
    changed.generatedAt = '2027-01-01T00:00:00.000Z';
    changed.accounts.reverse();
    for (const account of changed.accounts) {
      account.reasons = ['worded differently'];
      account.displayName = 'Renamed';
      for (const gap of account.gaps) gap.description = `reworded: ${gap.description}`;
    }
    const byAccount = (text: string) =>
      Object.fromEntries(
        parse(text).runs[0]!.results.map((r) => [
          r.locations[0]!.physicalLocation.artifactLocation.uri,
          r.partialFingerprints[FINGERPRINT_KEY],
        ]),
      );
    expect(byAccount(renderTenantSarif(changed))).toEqual(byAccount(renderTenantSarif(report)));
    const values = Object.values(byAccount(renderTenantSarif(report)));
    expect(new Set(values).size).toBe(values.length);
  });
});

describe('SARIF reporter', () => {
  it('token fingerprints ignore the token instance (exp, iat, jti) and the message', () => {
    const a = tokenReport('fail');
    const b = structuredClone(a);
    Object.assign(b.results[0]!.claims, { exp: 9_999_999_999, iat: 1, jti: 'other' });
    b.results[0]!.checks[0]!.message = 'different words';
    const fp = (r: typeof a) => parse(renderTokenSarif(r)).runs[0]!.results[0]!.partialFingerprints;
    expect(fp(b)).toEqual(fp(a));
  });

  it('keeps baseline-accepted results, marked as externally suppressed (accepted), and notes expired ones', () => {
    const baseline: Baseline = {
      format: 'mfa-audit-baseline/1',
      entries: [
        {
          account: 'erin@contoso.com',
          reason: 'Migrating HQ to named locations',
          owner: 'secops@contoso.com',
          expires: '2026-12-31',
        },
        { account: 'svc-backup@contoso.com', reason: 'old', owner: 'ops', expires: '2026-11-01' },
      ],
    };
    const report = applyTenantBaseline(tenantReport('mixed'), baseline, { now: new Date('2026-11-21T12:00:00Z') });
    const text = renderTenantSarif(report);
    expectGolden('tenant-mixed-baseline.golden.sarif', text);
    const log = parse(text);
    expectGitHubReady(log);
    const erin = log.runs[0]!.results.find((r) => r.message.text.startsWith('erin@'));
    expect(erin?.suppressions).toEqual([
      expect.objectContaining({
        kind: 'external',
        status: 'accepted',
        justification: expect.stringContaining('2026-12-31'),
      }),
    ]);
    const svc = log.runs[0]!.results.find((r) => r.message.text.startsWith('svc-backup@'));
    expect(svc?.suppressions).toBeUndefined();
    expect(svc?.message.text).toContain('baseline entry expired on 2026-11-01');

    const tokens = applyTokenBaseline(
      tokenReport('mixed'),
      {
        format: 'mfa-audit-baseline/1',
        entries: [{ subject: 'BOB@contoso.com', reason: 'r', owner: 'o', expires: '2026-12-01' }],
      },
      { now: new Date('2026-11-21T12:00:00Z') },
    );
    const bob = parse(renderTokenSarif(tokens)).runs[0]!.results[0]!;
    expect(bob.suppressions?.[0]?.status).toBe('accepted');
  });

  it('automation ids keep token and tenant uploads (and tenants) apart', () => {
    expect(parse(renderTokenSarif(tokenReport('pass'))).runs[0]!.automationDetails.id).toBe('mfa-audit/token/');
    expect(parse(renderTenantSarif(tenantReport('pass'))).runs[0]!.automationDetails.id).toBe(
      'mfa-audit/tenant/contoso.onmicrosoft.com/',
    );
  });

  it('a passing run has no results but is still a valid log', () => {
    const log = parse(renderTenantSarif(tenantReport('pass')));
    expect(log.runs[0]!.results).toEqual([]);
    expect(validate(log)).toBe(true);
  });
});
