/** The small snapshot fixtures in fixtures/tenants/, each named for the case it proves, read through the real reader. */
import { describe, expect, it } from 'vitest';
import { readSnapshot } from '../../../src/input/snapshot.js';
import { tenantExitCode } from '../../../src/core/gate.js';
import { audit } from './build.js';

const load = async (name: string) => audit(await readSnapshot(`fixtures/tenants/${name}.json`));

describe('fixtures/tenants', () => {
  it('zero-policies: no crash, every account fails with a gap, a no-enforcement finding', async () => {
    const r = await load('zero-policies');
    expect(r.summary).toMatchObject({ accounts: 2, fail: 2 });
    expect(r.findings.map((f) => f.id)).toContain('no-mfa-enforcement');
    expect(tenantExitCode(r)).toBe(1);
  });
  it('only-guests: the legacy GuestsOrExternalUsers policy covers them', async () => {
    const r = await load('only-guests');
    expect(r.summary).toMatchObject({ accounts: 2, pass: 2 });
    expect(r.accounts.every((a) => a.kind === 'guest')).toBe(true);
    expect(tenantExitCode(r)).toBe(0);
  });
  it('mfa-all-users-pass', async () => {
    expect((await load('mfa-all-users-pass')).summary).toMatchObject({ pass: 2 });
  });
  it('trusted-location-gap: fail, the gap names HQ and the AllTrusted exclusion', async () => {
    const r = await load('trusted-location-gap');
    expect(r.accounts[0]!.verdict).toBe('fail');
    expect(r.accounts[0]!.gaps[0]!.description).toContain("trusted location 'HQ'");
    expect(r.accounts[0]!.gaps[0]!.description).toContain('excludes AllTrusted');
    // Only the policy whose exclusion opens the gap is blamed in the finding, not the narrow legacy block.
    const gapFindings = r.findings.filter((f) => f.id === 'policy-leaves-gap');
    expect(gapFindings.map((f) => f.policyIds)).toEqual([['a1d2c3e4-0000-4000-8000-000000000003']]);
    expect(r.accounts[0]!.gaps[0]!.excludedBy).toEqual(['a1d2c3e4-0000-4000-8000-000000000003']);
  });
  it('security-defaults-on: pass with nothing else collected', async () => {
    const r = await load('security-defaults-on');
    expect(r.accounts.every((a) => a.verdict === 'pass' && a.mechanisms[0] === 'security-defaults')).toBe(true);
  });
  it('nulls-where-arrays-expected: no crash; null fields read as empty, null keys as not collected', async () => {
    const r = await load('nulls-where-arrays-expected');
    expect(r.accounts[0]!.verdict).toBe('pass');
    expect(
      r.findings
        .filter((f) => f.id === 'data-not-collected')
        .map((f) => f.message)
        .join(' '),
    ).toContain('namedLocations');
  });
  it('federated-uncovered: unknown with federatedIdpMfaBehavior, exit 3', async () => {
    const r = await load('federated-uncovered');
    expect(r.accounts[0]!.verdict).toBe('unknown');
    expect(r.accounts[0]!.reasons.join(' ')).toContain('acceptIfMfaDoneByFederatedIdp');
    expect(tenantExitCode(r)).toBe(3);
  });
  it('users-only: every account unknown, reasons name the missing data', async () => {
    const r = await load('users-only');
    expect(r.accounts[0]!.verdict).toBe('unknown');
    expect(tenantExitCode(r)).toBe(3);
  });
});

describe('usersNeedingPerUserMfaState on every fixture', () => {
  it('equals the users whose full evaluation says the per-user MFA state is needed', async () => {
    const { readdirSync } = await import('node:fs');
    const { prepare, usersNeedingPerUserMfaState } = await import('../../../src/core/tenant/audit.js');
    const { evaluateAccount } = await import('../../../src/core/tenant/evaluate.js');
    const { compileServicePatterns } = await import('../../../src/core/tenant/classify.js');
    const options = {
      now: new Date('2026-11-21T12:00:00Z'),
      breakGlass: ['breakglass@contoso.com'],
      serviceAccounts: { patterns: ['^svc'], upns: [] },
    };
    const helpers = {
      servicePatterns: compileServicePatterns(options.serviceAccounts.patterns),
      breakGlass: new Set(options.breakGlass),
      serviceUpns: new Set<string>(),
    };
    const names = readdirSync('fixtures/tenants').filter((name) => name.endsWith('.json'));
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      let snapshot;
      try {
        snapshot = await readSnapshot(`fixtures/tenants/${name}`);
      } catch {
        continue; // fixtures of invalid snapshots
      }
      const state = prepare(snapshot);
      const expected = state.dir.users
        .filter((u) => !state.dir.perUser.has(u.id) && evaluateAccount(state, u, options, helpers).needsPerUserState)
        .map((u) => u.id);
      expect(usersNeedingPerUserMfaState(snapshot, options), name).toEqual(expected);
    }
  });
});
