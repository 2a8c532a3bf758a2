import { describe, expect, it } from 'vitest';
import type { Baseline, BaselineEntry } from '../../src/core/baseline.js';
import {
  applyTenantBaseline,
  applyTokenBaseline,
  baselineFromTenantReport,
  baselineFromTokenReport,
  expiryInstant,
  isExpired,
  tokenSubjects,
} from '../../src/core/baseline.js';
import { tenantExitCode, tokenExitCode } from '../../src/core/gate.js';
import { tenantReport, tokenReport } from '../golden/ci/support.js';

const entry = (fields: Partial<BaselineEntry>): BaselineEntry => ({
  reason: 'migration under way',
  owner: 'secops@contoso.com',
  expires: '2026-12-31',
  ...fields,
});
const baseline = (...entries: BaselineEntry[]): Baseline => ({ format: 'mfa-audit-baseline/1', entries });
const at = (iso: string) => ({ now: new Date(iso) });

describe('baseline expiry', () => {
  it('a date is valid through that whole UTC day; an instant until that instant', () => {
    expect(expiryInstant('2026-12-31').toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(isExpired({ expires: '2026-12-31' }, new Date('2026-12-31T23:59:59Z'))).toBe(false);
    expect(isExpired({ expires: '2026-12-31' }, new Date('2027-01-01T00:00:00Z'))).toBe(true);
    expect(isExpired({ expires: '2026-12-31T12:00:00Z' }, new Date('2026-12-31T12:00:00Z'))).toBe(true);
    expect(isExpired({ expires: 'garbage' }, new Date())).toBe(true);
  });
});

describe('applyTenantBaseline', () => {
  it('accepts a failing account by UPN (any case) or object id; the verdict stays fail', () => {
    const report = applyTenantBaseline(
      tenantReport('fail'),
      baseline(entry({ account: 'ERIN@contoso.com' }), entry({ account: '10000000-0000-0000-0000-000000000004' })),
      at('2026-11-21T12:00:00Z'),
    );
    expect(report.accounts.map((a) => [a.verdict, a.accepted?.owner])).toEqual([
      ['fail', 'secops@contoso.com'],
      ['fail', 'secops@contoso.com'],
    ]);
    expect(report.summary).toMatchObject({ fail: 2, accepted: 2 });
    expect(report.baseline).toEqual({ strict: false, accepted: 2, expired: [], unused: [] });
    expect(tenantExitCode(report)).toBe(0);
  });

  it('an expired entry fails again and is listed; --now decides when it expires', () => {
    const file = baseline(entry({ account: 'erin@contoso.com', expires: '2026-11-30' }));
    const before = applyTenantBaseline(tenantReport('mixed'), file, at('2026-11-30T23:00:00Z'));
    expect(before.accounts.find((a) => a.userPrincipalName === 'erin@contoso.com')?.accepted).toBeDefined();
    const after = applyTenantBaseline(tenantReport('mixed'), file, at('2026-12-01T00:00:00Z'));
    const erin = after.accounts.find((a) => a.userPrincipalName === 'erin@contoso.com')!;
    expect(erin.accepted).toBeUndefined();
    expect(erin.expiredAcceptance).toEqual({
      reason: 'migration under way',
      owner: 'secops@contoso.com',
      expires: '2026-11-30',
    });
    expect(after.baseline?.expired).toEqual(file.entries);
    expect(tenantExitCode(after)).toBe(1);
  });

  it('lists unused entries: unknown accounts, and accounts that now pass or are exempt', () => {
    const file = baseline(
      entry({ account: 'gone@contoso.com' }),
      entry({ account: 'admin@contoso.com' }),
      entry({ account: 'old.user@contoso.com' }),
      entry({ subject: 'bob@contoso.com' }),
    );
    const report = applyTenantBaseline(tenantReport('mixed'), file, at('2026-11-21T00:00:00Z'));
    // Subject entries belong to `token` runs: not unused here.
    expect(report.baseline?.unused.map((e) => e.account)).toEqual([
      'gone@contoso.com',
      'admin@contoso.com',
      'old.user@contoso.com',
    ]);
    expect(report.accounts.every((a) => a.accepted === undefined)).toBe(true);
  });

  it('accepts unknown accounts too (exit 3 → 0 when nothing else is open)', () => {
    const report = tenantReport('mixed');
    report.accounts = report.accounts.filter((a) => a.verdict !== 'fail');
    expect(tenantExitCode(report)).toBe(3);
    const accepted = applyTenantBaseline(
      report,
      baseline(entry({ account: 'frank_fabrikam.com#EXT#@contoso.onmicrosoft.com' })),
      at('2026-11-21T00:00:00Z'),
    );
    expect(tenantExitCode(accepted)).toBe(0);
  });

  it('--strict: nothing is accepted, the report says so', () => {
    const report = applyTenantBaseline(tenantReport('fail'), baseline(entry({ account: 'erin@contoso.com' })), {
      ...at('2026-11-21T00:00:00Z'),
      strict: true,
    });
    expect(report.accounts.every((a) => a.accepted === undefined)).toBe(true);
    expect(report.baseline).toMatchObject({ strict: true, accepted: 0, unused: [] });
    expect(tenantExitCode(report)).toBe(1);
  });

  it('does not change its input, and a second application starts from scratch', () => {
    const input = tenantReport('fail');
    const copy = structuredClone(input);
    const once = applyTenantBaseline(
      input,
      baseline(entry({ account: 'erin@contoso.com' })),
      at('2026-11-21T00:00:00Z'),
    );
    expect(input).toEqual(copy);
    const twice = applyTenantBaseline(once, baseline(), at('2026-11-21T00:00:00Z'));
    expect(twice.accounts.every((a) => a.accepted === undefined)).toBe(true);
  });
});

describe('applyTokenBaseline', () => {
  it('matches upn, oid, sub, appid or azp, case-insensitively', () => {
    expect(tokenSubjects(tokenReport('mixed').results[1]!)).toEqual([
      'bob@contoso.com',
      'bbbbbbbb-0000-0000-0000-000000000002',
      'app-1111',
    ]);
    for (const subject of ['BOB@contoso.com', 'bbbbbbbb-0000-0000-0000-000000000002', 'app-1111']) {
      const report = applyTokenBaseline(tokenReport('fail'), baseline(entry({ subject })), at('2026-11-21T00:00:00Z'));
      expect(report.results[0]!.accepted).toBeDefined();
      expect(tokenExitCode(report)).toBe(0);
    }
  });

  it('expired: fails again with exit 1', () => {
    const report = applyTokenBaseline(
      tokenReport('fail'),
      baseline(entry({ subject: 'bob@contoso.com', expires: '2026-11-20' })),
      at('2026-11-21T00:00:00Z'),
    );
    expect(report.results[0]!.expiredAcceptance?.expires).toBe('2026-11-20');
    expect(tokenExitCode(report)).toBe(1);
  });
});

describe('--write-baseline', () => {
  it('accepts every failing and unknown account, with placeholders expiring 30 days out', () => {
    const written = baselineFromTenantReport(tenantReport('mixed'), new Date('2026-11-21T12:00:00Z'));
    expect(written.entries.map((e) => e.account)).toEqual([
      'erin@contoso.com',
      'frank_fabrikam.com#EXT#@contoso.onmicrosoft.com',
      'svc-backup@contoso.com',
    ]);
    expect(written.entries.every((e) => e.expires === '2026-12-21' && e.reason.startsWith('TODO'))).toBe(true);
    // Applied to the same run, the written baseline accepts everything: the gate goes green until it expires.
    const applied = applyTenantBaseline(tenantReport('mixed'), written, at('2026-11-21T12:00:00Z'));
    expect(tenantExitCode(applied)).toBe(0);
    expect(tenantExitCode(applyTenantBaseline(tenantReport('mixed'), written, at('2026-12-22T00:00:00Z')))).toBe(1);
  });

  it('keeps the reason, owner and expiry of entries already accepted', () => {
    const accepted = applyTenantBaseline(
      tenantReport('fail'),
      baseline(entry({ account: 'erin@contoso.com', expires: '2027-03-01' })),
      at('2026-11-21T00:00:00Z'),
    );
    const written = baselineFromTenantReport(accepted, new Date('2026-11-21T00:00:00Z'));
    expect(written.entries[0]).toEqual(entry({ account: 'erin@contoso.com', expires: '2027-03-01' }));
  });

  it('tokens: one entry per subject (the user, or the app of an App-only token)', () => {
    const written = baselineFromTokenReport(tokenReport('mixed'), new Date('2026-11-21T00:00:00Z'), 7);
    expect(written.entries.map((e) => [e.subject, e.expires])).toEqual([
      ['bob@contoso.com', '2026-11-28'],
      ['carol@contoso.com', '2026-11-28'],
    ]);
  });
});
