/**
 * "Fix these first" (src/core/tenant/fixes.ts): each fix is proven by re-running the engine with the change made,
 * claims only the gaps it closes, and lists privileged accounts first.
 */
import { describe, expect, it } from 'vitest';
import { GRAPH_KEYS } from '../../../src/core/snapshot.js';
import { ALICE, BOB, audit, complete, ipLocation, members, policy, user, users } from './build.js';

const ADMINS = 'g-admin-agents';
const SERVICE = 'g-service-exclusions';
const CAROL = user('00000000-0000-0000-0000-0000000ca201', 'carol@contoso.com');
const hq = ipLocation('loc-hq', 'HQ', '203.0.113.0/24', true);
const agentGroup = {
  [GRAPH_KEYS.namedLocations]: [hq],
  'v1.0/groups': [
    { id: ADMINS, displayName: 'AdminAgents' },
    { id: SERVICE, displayName: 'SG-Service' },
  ],
};

describe('planFixes', () => {
  it('an exclusion of a group: removing it fixes exactly its members, privileged first', () => {
    const snapshot = complete(
      [ALICE, BOB, CAROL],
      [policy({ id: 'p-mfa', name: 'Require MFA', users: users({ includeUsers: ['All'], excludeGroups: [SERVICE] }) })],
      { ...agentGroup, ...members(SERVICE, BOB, CAROL), ...members(ADMINS, CAROL) },
    );
    const report = audit(snapshot);
    expect(report.fixes).toHaveLength(1);
    const [fix] = report.fixes!;
    expect(fix).toMatchObject({ id: `remove-exclusion:p-mfa:${SERVICE}`, kind: 'remove-exclusion', gapsClosed: 2 });
    expect(fix!.title).toContain("'Require MFA'");
    // Carol is privileged (AdminAgents): first, although bob sorts before her.
    expect(fix!.accountIds).toEqual([CAROL.id, BOB.id]);
    expect(fix!.privileged).toBe(1);
  });

  it('a report-only policy: turning it on is offered when it would close the gap', () => {
    const snapshot = complete(
      [ALICE],
      [policy({ id: 'p-ro', name: 'MFA (pilot)', state: 'enabledForReportingButNotEnforced' })],
    );
    const report = audit(snapshot);
    expect(report.fixes?.map((f) => f.id)).toEqual(['enable-report-only:p-ro']);
    expect(report.fixes![0]!.accountIds).toEqual([ALICE.id]);
  });

  it('claims nothing it does not close: a second exclusion keeps the gap open', () => {
    // Both policies exclude alice; the browser-only one cannot close "any sign-in" on its own, so it is not offered.
    const snapshot = complete(
      [ALICE],
      [
        policy({
          id: 'p-all',
          name: 'MFA everywhere',
          users: users({ includeUsers: ['All'], excludeUsers: [ALICE.id!] }),
        }),
        policy({
          id: 'p-browser',
          name: 'MFA in browsers',
          users: users({ includeUsers: ['All'], excludeUsers: [ALICE.id!] }),
          conditions: { clientAppTypes: ['browser'] },
        }),
      ],
    );
    const report = audit(snapshot);
    const ids = report.fixes?.map((f) => f.id) ?? [];
    expect(ids[0]).toBe(`remove-exclusion:p-all:${ALICE.id}`);
    expect(ids).not.toContain(`remove-exclusion:p-browser:${ALICE.id}`);
  });

  it('never offers to remove an exclusion from a blocking policy (that blocks, it does not bring MFA)', () => {
    const snapshot = complete(
      [ALICE],
      [
        policy({
          id: 'p-block',
          name: 'Block outside HQ',
          grant: { operator: 'OR', builtInControls: ['block'] },
          conditions: { locations: { includeLocations: ['All'], excludeLocations: ['loc-hq'] } },
        }),
      ],
      { [GRAPH_KEYS.namedLocations]: [hq] },
    );
    const report = audit(snapshot);
    expect((report.fixes ?? []).filter((f) => f.policyIds.includes('p-block'))).toEqual([]);
  });

  it('no fixes when every account passes', () => {
    expect(audit(complete([ALICE], [policy({ id: 'p' })])).fixes).toBeUndefined();
  });
});
