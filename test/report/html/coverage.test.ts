import { describe, expect, it } from 'vitest';
import type { AccountResult, Gap, SignInExample } from '../../../src/core/tenant/types.js';
import { exampleOf } from '../../../src/core/tenant/contexts.js';
import { COVERAGE_COLUMNS, coverageMap } from '../../../src/report/html/coverage.js';

function example(partial: Partial<SignInExample> = {}): SignInExample {
  const neutral = exampleOf([]);
  return { ...neutral, application: { ...neutral.application, office365: true }, ...partial };
}

function account(id: string, partial: Partial<AccountResult>): AccountResult {
  return {
    id,
    userPrincipalName: `${id}@contoso.com`,
    displayName: id,
    kind: 'member',
    verdict: 'pass',
    mechanisms: ['conditional-access'],
    reasons: [],
    gaps: [],
    ...partial,
  };
}

/** The state of one named cell ("client/Exchange ActiveSync") of a row. */
function cell(row: { cells: string[] }, name: string): string | undefined {
  const index = COVERAGE_COLUMNS.findIndex((c) => `${c.dimension}/${c.label}` === name);
  expect(index, name).toBeGreaterThanOrEqual(0);
  return row.cells[index];
}

const trustedHq: Gap = {
  description: "browser sign-in from trusted location 'HQ': policy 'Require MFA' excludes AllTrusted",
  policyIds: ['p1'],
  excludedBy: ['p1'],
  example: example({ trustedLocation: true, locations: ['hq'] }),
};
const legacy: Gap = {
  description: 'Exchange ActiveSync sign-in: no policy applies',
  policyIds: [],
  example: example({
    clientAppType: 'exchangeActiveSync',
    platform: 'iOS',
    application: { appId: null, office365: false, adminPortal: false },
  }),
};

describe('coverage map', () => {
  it('groups accounts that share verdict, mechanisms and gaps; failing groups first, the largest first', () => {
    const map = coverageMap([
      account('a', {}),
      account('b', { verdict: 'fail', mechanisms: [], gaps: [legacy] }),
      account('c', { verdict: 'fail', mechanisms: [], gaps: [trustedHq, legacy] }),
      account('d', { verdict: 'fail', mechanisms: [], gaps: [trustedHq, legacy] }),
      account('e', { verdict: 'exempt', mechanisms: [] }),
      account('f', {}),
    ]);
    expect(map.rows.map((r) => [r.id, r.verdict, r.accounts.map((a) => a.id)])).toEqual([
      ['G1', 'fail', ['c', 'd']],
      ['G2', 'fail', ['b']],
      ['G3', 'pass', ['a', 'f']],
      ['G4', 'exempt', ['e']],
    ]);
    expect(map.hidden).toEqual({ groups: 0, accounts: 0 });
  });

  it('marks open only the classes a proven gap shows, and never claims the rest covered', () => {
    const [row] = coverageMap([account('c', { verdict: 'fail', mechanisms: [], gaps: [trustedHq, legacy] })]).rows;
    expect(cell(row!, 'location/trusted')).toBe('open');
    expect(cell(row!, 'location/untrusted')).toBe('open');
    expect(cell(row!, 'client/browser')).toBe('open');
    expect(cell(row!, 'client/Exchange ActiveSync')).toBe('open');
    expect(cell(row!, 'platform/iOS')).toBe('open');
    expect(cell(row!, 'app/other apps')).toBe('open');
    expect(cell(row!, 'client/other legacy')).toBe('unproven');
    expect(cell(row!, 'platform/linux')).toBe('unproven');
    expect(cell(row!, 'risk/high')).toBe('unproven');
    expect(row!.cells).not.toContain('covered');
  });

  it('shows a possible gap, or a gap of an undecided account, as uncertain', () => {
    const possible = { ...legacy, possible: true };
    const [failing] = coverageMap([
      account('x', { verdict: 'fail', mechanisms: [], gaps: [trustedHq, possible] }),
    ]).rows;
    expect(cell(failing!, 'client/Exchange ActiveSync')).toBe('uncertain');
    expect(cell(failing!, 'client/browser')).toBe('open');
    const [undecided] = coverageMap([account('y', { verdict: 'unknown', mechanisms: [], gaps: [legacy] })]).rows;
    expect(cell(undecided!, 'client/Exchange ActiveSync')).toBe('uncertain');
    expect(cell(undecided!, 'client/browser')).toBe('unproven');
  });

  it('says covered for a Conditional Access pass (MFA or block), MFA for per-user MFA alone, exempt for exempt', () => {
    const map = coverageMap([
      account('ca', {}),
      account('pu', { mechanisms: ['per-user-mfa'] }),
      account('ex', { verdict: 'exempt', mechanisms: [] }),
    ]);
    expect(new Set(map.rows[0]!.cells)).toEqual(new Set(['covered']));
    expect(new Set(map.rows[1]!.cells)).toEqual(new Set(['mfa']));
    expect(new Set(map.rows[2]!.cells)).toEqual(new Set(['exempt']));
  });

  it('classes a sign-in by the higher of sign-in and user risk', () => {
    const risky = { ...legacy, example: example({ signInRisk: 'low', userRisk: 'high' }) };
    const [row] = coverageMap([account('r', { verdict: 'fail', mechanisms: [], gaps: [risky] })]).rows;
    expect(cell(row!, 'risk/high')).toBe('open');
    expect(cell(row!, 'risk/low')).toBe('unproven');
  });

  it('shows at most maxRows groups and counts the rest', () => {
    const accounts = Array.from({ length: 5 }, (_, i) =>
      account(`u${i}`, { verdict: 'fail', mechanisms: [], gaps: [{ ...legacy, description: `gap ${i}` }] }),
    );
    const map = coverageMap(accounts, 2);
    expect(map.rows).toHaveLength(2);
    expect(map.hidden).toEqual({ groups: 3, accounts: 3 });
  });
});
