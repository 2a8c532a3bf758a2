/** Cross-policy composition: gaps (and their absence) that only appear when policies are read together. */
import { describe, expect, it } from 'vitest';
import type * as G from '@microsoft/microsoft-graph-types';
import { GRAPH_KEYS } from '../../../src/core/snapshot.js';
import { ALICE, BOB, account, audit, complete, ipLocation, members, policy, verdictOf } from './build.js';

const BLOCK: G.ConditionalAccessGrantControls = { operator: 'OR', builtInControls: ['block'] };
const users = (u: Partial<G.ConditionalAccessUsers>): G.ConditionalAccessUsers => ({
  includeUsers: [],
  excludeUsers: [],
  includeGroups: [],
  excludeGroups: [],
  ...u,
});
const hq = ipLocation('loc-hq', 'HQ', '203.0.113.0/24', true);

describe('an exclusion covered, or not, by another policy', () => {
  const excludeGroup = policy({
    id: 'p-all',
    name: 'MFA all',
    users: users({ includeUsers: ['All'], excludeGroups: ['g-ex'] }),
  });
  it('covered: the excluded group has its own MFA policy', () => {
    const a = verdictOf(
      [excludeGroup, policy({ id: 'p-ex', name: 'MFA exclusions', users: users({ includeGroups: ['g-ex'] }) })],
      members('g-ex', ALICE),
    );
    expect(a.verdict).toBe('pass');
    expect(a.reasons.join(' ')).toContain('MFA exclusions');
  });
  it('not covered: the fallback policy is MFA OR compliant device', () => {
    const a = verdictOf(
      [
        excludeGroup,
        policy({
          id: 'p-ex',
          name: 'Fallback',
          users: users({ includeGroups: ['g-ex'] }),
          grant: { operator: 'OR', builtInControls: ['mfa', 'compliantDevice'] },
        }),
      ],
      members('g-ex', ALICE),
    );
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.policyIds.sort()).toEqual(['p-all', 'p-ex']);
    expect(a.gaps[0]!.description).toContain("policy 'Fallback' can be satisfied without MFA (compliantDevice)");
  });
  it('not covered: the fallback policy covers browsers only', () => {
    const a = verdictOf(
      [
        excludeGroup,
        policy({ id: 'p-ex', users: users({ includeGroups: ['g-ex'] }), conditions: { clientAppTypes: ['browser'] } }),
      ],
      members('g-ex', ALICE),
    );
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.clientAppType).not.toBe('browser');
  });
  it('the exclusion affects only its members', () => {
    const r = audit(complete([ALICE, BOB], [excludeGroup], members('g-ex', ALICE)));
    expect(account(r, ALICE.userPrincipalName!).verdict).toBe('fail');
    expect(account(r, BOB.userPrincipalName!).verdict).toBe('pass');
  });
});

describe('browser and mobile policies without a legacy block', () => {
  const browser = policy({ id: 'p-b', name: 'Browser MFA', conditions: { clientAppTypes: ['browser'] } });
  const mobile = policy({
    id: 'p-m',
    name: 'Apps MFA',
    conditions: { clientAppTypes: ['mobileAppsAndDesktopClients'] },
  });
  it('legacy clients get through', () => {
    const a = verdictOf([browser, mobile]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.description).toMatch(/Exchange ActiveSync|legacy/);
    expect(a.gaps[0]!.policyIds.sort()).toEqual(['p-b', 'p-m']);
  });
  it('adding a legacy block closes the gap', () => {
    const legacy = policy({ id: 'p-l', grant: BLOCK, conditions: { clientAppTypes: ['exchangeActiveSync', 'other'] } });
    expect(verdictOf([browser, mobile, legacy]).verdict).toBe('pass');
  });
});

describe('a block outside trusted locations beside an MFA policy that excludes trusted ones', () => {
  const locs = { [GRAPH_KEYS.namedLocations]: [hq] };
  const mfaOutside = policy({
    id: 'p-mfa',
    name: 'Require MFA',
    conditions: { locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } },
  });
  const blockOutside = policy({
    id: 'p-block',
    name: 'Block outside',
    grant: BLOCK,
    conditions: { locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } },
  });
  it('inside the trusted location nothing requires MFA: fail with the HQ context', () => {
    const a = verdictOf([mfaOutside, blockOutside], locs);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.description).toContain("trusted location 'HQ'");
    expect(a.gaps[0]!.description).toContain("policy 'Require MFA' excludes AllTrusted");
    expect(a.gaps[0]!.policyIds.sort()).toEqual(['p-block', 'p-mfa']);
  });
  it('an MFA policy for the trusted location closes it', () => {
    const mfaInside = policy({ id: 'p-in', conditions: { locations: { includeLocations: ['AllTrusted'] } } });
    // The MFA service's trusted IPs are also "trusted" and invisible to Graph; both policies use AllTrusted, so they are covered too.
    expect(verdictOf([mfaOutside, blockOutside, mfaInside], locs).verdict).toBe('pass');
  });
  it('an MFA policy for HQ by id alone leaves the MFA trusted IPs undecidable: unknown, not pass', () => {
    const mfaHq = policy({ id: 'p-in', conditions: { locations: { includeLocations: ['loc-hq'] } } });
    expect(verdictOf([mfaOutside, blockOutside, mfaHq], locs).verdict).toBe('unknown');
  });
});

describe('risk-scoped and platform-scoped policies together', () => {
  it('a risk-based MFA policy plus a low-risk-only policy leave no-risk sign-ins open', () => {
    const high = policy({ id: 'p1', conditions: { signInRiskLevels: ['high', 'medium'] } });
    const low = policy({ id: 'p2', conditions: { signInRiskLevels: ['low'] } });
    const a = verdictOf([high, low]);
    expect(a.verdict).toBe('fail');
    expect(a.gaps[0]!.example!.signInRisk).toBe('none');
    expect(verdictOf([high, low, policy({ id: 'p3', conditions: { signInRiskLevels: ['none'] } })]).verdict).toBe(
      'pass',
    );
  });
  it('complementary platform policies cover each other', () => {
    const a = policy({
      id: 'p1',
      conditions: { platforms: { includePlatforms: ['all'], excludePlatforms: ['iOS', 'android'] } },
    });
    const b = policy({ id: 'p2', conditions: { platforms: { includePlatforms: ['iOS', 'android'] } } });
    expect(verdictOf([a, b]).verdict).toBe('pass');
    expect(verdictOf([a]).verdict).toBe('fail');
  });
  it('the search finds a gap that needs three dimensions at once', () => {
    // Each policy leaves one slice open; only browser + iOS + high user risk escapes all three.
    const p1 = policy({
      id: 'p1',
      conditions: { clientAppTypes: ['mobileAppsAndDesktopClients', 'exchangeActiveSync', 'other'] },
    });
    const p2 = policy({
      id: 'p2',
      conditions: { platforms: { includePlatforms: ['all'], excludePlatforms: ['iOS'] } },
    });
    const p3 = policy({ id: 'p3', conditions: { userRiskLevels: ['none', 'low', 'medium'] } });
    const a = verdictOf([p1, p2, p3]);
    expect(a.verdict).toBe('fail');
    const ex = a.gaps[0]!.example!;
    expect([ex.clientAppType, ex.platform, ex.userRisk]).toEqual(['browser', 'iOS', 'high']);
    expect(a.gaps[0]!.description).toContain('browser sign-in');
    expect(a.gaps[0]!.description).toContain('on iOS');
  });
});

describe('gaps through many policies stay readable', () => {
  it('words name six policies, policyIds the first ten (exclusions first), policiesInvolved the count', () => {
    const many = Array.from({ length: 15 }, (_, i) =>
      policy({
        id: `p${String(i).padStart(2, '0')}`,
        users: users({ includeUsers: ['All'], excludeUsers: [ALICE.id!] }),
      }),
    );
    const a = verdictOf(many);
    expect(a.verdict).toBe('fail');
    expect(a.gaps).toHaveLength(1);
    const gap = a.gaps[0]!;
    expect(gap.policyIds).toHaveLength(10);
    expect(gap.policiesInvolved).toBe(15);
    expect(gap.description).toContain('and 9 more policies');
    expect(gap.excludedBy).toEqual(gap.policyIds);
  });
});
