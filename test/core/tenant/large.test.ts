/** A large tenant (100,000 users, 2,000 groups, 200 policies) completes and is correct; no timing assertions. */
import { describe, expect, it } from 'vitest';
import type * as G from '@microsoft/microsoft-graph-types';
import { GRAPH_KEYS, groupMembersKey, perUserMfaKey } from '../../../src/core/snapshot.js';
import { parseSnapshot } from '../../../src/input/snapshot.js';
import { audit, complete, policy } from './build.js';

const USERS = 100_000;
const GROUPS = 2_000;

function bigTenant() {
  const users: G.User[] = [];
  for (let i = 0; i < USERS; i++) {
    users.push({
      id: `u${i}`,
      userPrincipalName: `user${i}@contoso.com`,
      displayName: `User ${i}`,
      userType: i % 50 === 0 ? 'Guest' : 'Member',
      accountEnabled: i % 97 !== 0,
    });
  }
  const graph: Record<string, unknown> = {};
  // Group g holds users whose index ≡ g (mod GROUPS): 50 members each.
  for (let g = 0; g < GROUPS; g++) {
    const members: unknown[] = [];
    for (let i = g; i < USERS; i += GROUPS) members.push({ '@odata.type': '#microsoft.graph.user', id: `u${i}` });
    graph[groupMembersKey(`g${g}`)] = members;
  }
  const policies: G.ConditionalAccessPolicy[] = [
    policy({ id: 'base', name: 'MFA everyone', users: { includeUsers: ['All'], excludeGroups: ['g0', 'g1'] } }),
    policy({
      id: 'legacy',
      name: 'Block legacy',
      grant: { operator: 'OR', builtInControls: ['block'] },
      conditions: { clientAppTypes: ['exchangeActiveSync', 'other'] },
    }),
  ];
  // g0's members are covered by a browser-only fallback (a gap for apps); g1's by a full fallback (pass).
  policies.push(
    policy({
      id: 'fb0',
      name: 'Fallback g0',
      users: { includeGroups: ['g0'] },
      conditions: { clientAppTypes: ['browser'] },
    }),
  );
  policies.push(policy({ id: 'fb1', name: 'Fallback g1', users: { includeGroups: ['g1'] } }));
  for (let p = policies.length; p < 200; p++) {
    policies.push(
      policy({
        id: `p${p}`,
        name: `Policy ${p}`,
        state: p % 3 === 0 ? 'enabledForReportingButNotEnforced' : 'enabled',
        users: {
          includeGroups: [`g${(p * 7) % GROUPS}`, `g${(p * 13) % GROUPS}`],
          excludeGroups: [`g${(p * 17) % GROUPS}`],
        },
        conditions: {
          platforms: { includePlatforms: p % 2 ? ['iOS', 'android'] : ['all'], excludePlatforms: [] },
          signInRiskLevels: p % 5 === 0 ? ['high'] : [],
        },
        grant: p % 4 === 0 ? { operator: 'OR', builtInControls: ['mfa', 'compliantDevice'] } : undefined,
      }),
    );
  }
  const snap = complete(users, policies, graph);
  return snap;
}

describe('a 100,000-user tenant', () => {
  it('every user gets exactly one correct verdict', () => {
    const snap = bigTenant();
    const t0 = Date.now();
    const report = audit(snap);
    const elapsed = Date.now() - t0;
    if (process.env.MFA_PERF) console.log(`audit of ${USERS} users: ${elapsed} ms`);
    expect(report.accounts).toHaveLength(USERS);
    expect(new Set(report.accounts.map((a) => a.id)).size).toBe(USERS);
    const byId = new Map(report.accounts.map((a) => [a.id, a]));
    expect(byId.get('u97')!.verdict).toBe('exempt');
    expect(byId.get('u0')!.verdict).toBe('exempt'); // disabled (0 % 97)
    expect(byId.get('u2000')!.verdict).toBe('fail'); // in g0: browser-only fallback
    expect(byId.get('u2000')!.gaps[0]!.description).toContain('excludes group');
    expect(byId.get('u2001')!.verdict).toBe('pass'); // in g1: full fallback
    expect(byId.get('u5')!.verdict).toBe('pass');
    expect(report.summary.accounts).toBe(USERS);
    expect(report.summary.pass + report.summary.fail + report.summary.exempt + report.summary.unknown).toBe(USERS);
  });

  it('a ~100 MB snapshot parses and validates', () => {
    const snap = bigTenant();
    // Pad the users with realistic extra fields until the file is about 100 MB.
    const users = snap.graph[GRAPH_KEYS.users] as Record<string, unknown>[];
    for (const u of users) {
      u.mail = u.userPrincipalName;
      u.jobTitle = 'Consultant, Managed Services and Partner Operations';
      u.officeLocation = 'Building 42, Floor 7, Room 7.12';
      u.businessPhones = ['+1 425 555 0100'];
      u.onPremisesSyncEnabled = null;
      u.identities = [
        { signInType: 'userPrincipalName', issuer: 'contoso.onmicrosoft.com', issuerAssignedId: u.userPrincipalName },
      ];
    }
    snap.graph[GRAPH_KEYS.registrationDetails] = users.map((u) => ({
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      isMfaRegistered: true,
      isMfaCapable: true,
      methodsRegistered: ['microsoftAuthenticatorPush', 'softwareOneTimePasscode'],
    }));
    let text = JSON.stringify(snap);
    if (text.length < 100_000_000) {
      snap.graph['v1.0/extra/padding'] = 'x'.repeat(100_000_000 - text.length);
      text = JSON.stringify(snap);
    }
    expect(text.length).toBeGreaterThanOrEqual(100_000_000);
    const t0 = Date.now();
    const parsed = parseSnapshot(text, 'big.json');
    if (process.env.MFA_PERF) console.log(`parse+validate ${Math.round(text.length / 1e6)} MB: ${Date.now() - t0} ms`);
    expect((parsed.graph[GRAPH_KEYS.users] as unknown[]).length).toBe(USERS);
    expect(parsed.graph[perUserMfaKey('u1')]).toEqual({ perUserMfaState: 'disabled' });
  });
});
