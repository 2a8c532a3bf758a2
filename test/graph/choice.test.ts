/**
 * Collection chooses the users whose per-user MFA state it asks for page by page, as pages of users arrive
 * (src/graph/collector.ts). That is only sound if the choice is exact: the union of the choices over the pages (or
 * groups of pages) equals the engine's choice on the whole user list, with every other key collected. These tests
 * prove it for the demo tenant and the benchmark's 100,000-user tenant, and show why role assignments whose
 * principal Graph did not expand make the collector choose once, on the whole list.
 */
import { describe, expect, it } from 'vitest';
import { buildTenant } from '../../bench/collect.js';
import type { Snapshot } from '../../src/core/snapshot.js';
import { GRAPH_KEYS, perUserMfaKey } from '../../src/core/snapshot.js';
import type { AuditOptions } from '../../src/core/tenant/audit.js';
import { usersNeedingPerUserMfaState } from '../../src/core/tenant/audit.js';
import { choiceSnapshot, choosesByPage, referencesNamedLocations } from '../../src/graph/selection.js';
import { collect, demoSnapshot, graphToken, servedTenant } from './support.js';
import { startTestGraphServer } from '../helpers/graph-server.js';

type Item = Record<string, unknown>;

const OPTIONS: AuditOptions = {
  now: new Date('2026-11-21T12:00:00Z'),
  breakGlass: [],
  serviceAccounts: { patterns: [], upns: [] },
};

/** What collection holds when it chooses: everything but the per-user states (and no collectionErrors). */
function collected(snapshot: Snapshot): Snapshot {
  const graph = Object.fromEntries(Object.entries(snapshot.graph).filter(([key]) => !key.startsWith('beta/users/')));
  return { format: snapshot.format, tenantId: snapshot.tenantId, collectedAt: snapshot.collectedAt, graph };
}

/** The snapshot the collector's choice starts from: named locations left out when no policy has a location condition. */
function choiceBase(whole: Snapshot): Snapshot {
  if (referencesNamedLocations(whole.graph[GRAPH_KEYS.conditionalAccessPolicies])) return whole;
  const { [GRAPH_KEYS.namedLocations]: _locations, ...graph } = whole.graph;
  return { ...whole, graph };
}

/** The union of the choices over groups of `pagesPerChoice` pages of `pageSize` users, in the user list's order. */
function chosenByPage(whole: Snapshot, pageSize: number, options = OPTIONS, pagesPerChoice = 1): string[] {
  const users = whole.graph[GRAPH_KEYS.users] as Item[];
  const base = choiceBase(whole);
  const out: string[] = [];
  const step = pageSize * pagesPerChoice;
  for (let i = 0; i < users.length; i += step) {
    const group = users.slice(i, i + step);
    const ids = new Set(group.map((u) => u.id));
    out.push(...usersNeedingPerUserMfaState(choiceSnapshot(base, group), options).filter((id) => ids.has(id)));
  }
  return out;
}

describe('the choice of users page by page is exact', () => {
  // The demo tenant with the keys collection gathers since the second wave (beta policies, service principals, role
  // eligibility), as collection holds them when it chooses.
  const demo = collected(servedTenant());

  it('demo tenant: every page size gives the choice on the whole list', () => {
    const whole = usersNeedingPerUserMfaState(demo, OPTIONS);
    expect(whole.length).toBeGreaterThan(10);
    expect(choosesByPage(demo.graph)).toBe(true);
    for (const size of [1, 2, 3, 5, 8, 13, 999]) expect(chosenByPage(demo, size), `pages of ${size}`).toEqual(whole);
    expect(chosenByPage(demo, 2, OPTIONS, 3)).toEqual(whole);
  });

  it('demo tenant: also with break-glass and service-account designations', () => {
    const options: AuditOptions = {
      ...OPTIONS,
      breakGlass: ['alex.wilber@northwindcloud.com'],
      serviceAccounts: { patterns: ['^powerbi\\.'], upns: ['info@northwindcloud.com'] },
    };
    const whole = usersNeedingPerUserMfaState(demo, options);
    for (const size of [1, 4, 999]) expect(chosenByPage(demo, size, options)).toEqual(whole);
  });

  it('demo tenant: policies with location conditions make the choice wait for named locations', () => {
    expect(referencesNamedLocations(demo.graph[GRAPH_KEYS.conditionalAccessPolicies])).toBe(true);
  });

  it("the benchmark's 100,000-user tenant: pages of 999, alone and in groups, give the choice on the whole list", () => {
    const tenant = buildTenant(100_000) as Snapshot;
    const whole = collected(tenant);
    const expected = usersNeedingPerUserMfaState(whole, OPTIONS);
    // The enabled users of the legacy group outside CA, whom the tenant has per-user MFA states for.
    expect(expected.length).toBeGreaterThan(19_000);
    expect(expected.every((id) => tenant.graph[perUserMfaKey(id)] !== undefined)).toBe(true);
    // No policy has a location condition: the choice does not wait for named locations.
    expect(referencesNamedLocations(whole.graph[GRAPH_KEYS.conditionalAccessPolicies])).toBe(false);
    expect(chosenByPage(whole, 999)).toEqual(expected);
    expect(chosenByPage(whole, 999, OPTIONS, 20)).toEqual(expected);
  });
});

describe('when a choice per page would not be exact', () => {
  it('a role assigned to an unexpanded principal on another page would look "maybe held" by everyone', () => {
    // MFA for everyone except holders of a role; the role's only holder is a user whose principal Graph did not
    // expand. On a page without that user, the engine cannot tell the principal is a user elsewhere.
    const demo = collected(demoSnapshot());
    const users = demo.graph[GRAPH_KEYS.users] as Item[];
    const holder = users[0]!.id as string;
    const role = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
    const policy = {
      id: 'f0000000-0000-4000-8000-000000000001',
      displayName: 'MFA for all but one role',
      state: 'enabled',
      conditions: {
        clientAppTypes: ['all'],
        applications: { includeApplications: ['All'], excludeApplications: [], includeUserActions: [] },
        users: {
          includeUsers: ['All'],
          excludeUsers: [],
          includeGroups: [],
          excludeGroups: [],
          includeRoles: [],
          excludeRoles: [role],
        },
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    };
    const graph = {
      ...demo.graph,
      [GRAPH_KEYS.conditionalAccessPolicies]: [policy],
      [GRAPH_KEYS.roleAssignments]: [{ id: 'ra', principalId: holder, roleDefinitionId: role, directoryScopeId: '/' }],
    };
    const snapshot = { ...demo, graph };
    expect(choosesByPage(graph)).toBe(false);
    const whole = usersNeedingPerUserMfaState(snapshot, OPTIONS);
    expect(chosenByPage(snapshot, 5).length).toBeGreaterThan(whole.length);
    // Expanded (as Graph does with $expand=principal), the choice per page is exact again.
    const expanded = {
      ...graph,
      [GRAPH_KEYS.roleAssignments]: [
        {
          id: 'ra',
          principalId: holder,
          roleDefinitionId: role,
          directoryScopeId: '/',
          principal: { '@odata.type': '#microsoft.graph.user', id: holder },
        },
      ],
    };
    expect(choosesByPage(expanded)).toBe(true);
    const expandedSnapshot = { ...demo, graph: expanded };
    expect(chosenByPage(expandedSnapshot, 5)).toEqual(usersNeedingPerUserMfaState(expandedSnapshot, OPTIONS));
  });

  it('knows location conditions in their shapes', () => {
    const withLocations = (locations: unknown) => [{ conditions: { locations } }];
    expect(referencesNamedLocations(undefined)).toBe(false);
    expect(referencesNamedLocations([])).toBe(false);
    expect(referencesNamedLocations(withLocations(null))).toBe(false);
    expect(referencesNamedLocations(withLocations({ includeLocations: [], excludeLocations: [] }))).toBe(false);
    expect(
      referencesNamedLocations(withLocations({ includeLocations: ['All'], excludeLocations: ['AllTrusted'] })),
    ).toBe(true);
    expect(
      referencesNamedLocations(withLocations({ excludeLocations: ['3d46dbda-8382-466a-856d-eb00cbc6b910'] })),
    ).toBe(true);
    expect(referencesNamedLocations(withLocations('odd'))).toBe(true);
  });
});

describe('collection chooses page by page', () => {
  const demo = servedTenant();
  const token = graphToken();
  const engine = (calls: Snapshot[]) => (snapshot: Snapshot) => {
    calls.push(snapshot);
    return usersNeedingPerUserMfaState(snapshot, OPTIONS);
  };

  it('asks for the same per-user states whatever the page size, one choice per group of pages', async () => {
    const server = await startTestGraphServer({ snapshot: demo, token, pageSize: 4 });
    try {
      const calls: Snapshot[] = [];
      const run = await collect(server, { perUserMfaUsers: engine(calls) });
      expect(run.error).toBeUndefined();
      const expected = usersNeedingPerUserMfaState(collected(demo), OPTIONS);
      const asked = Object.keys(run.snapshot!.graph).filter((k) => k.startsWith('beta/users/'));
      expect(asked).toEqual(expected.filter((id) => demo.graph[perUserMfaKey(id)] !== undefined).map(perUserMfaKey));
      // Every choice saw a part of the user list and no registration details or per-user states.
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) {
        expect((call.graph[GRAPH_KEYS.users] as unknown[]).length).toBeLessThanOrEqual(4 * 20);
        expect(call.graph[GRAPH_KEYS.registrationDetails]).toBeUndefined();
      }
      // The same number of $batch requests as asking for all of them at once.
      expect(server.stats.byPath.get('/beta/$batch')).toBe(Math.ceil(expected.length / 20));
    } finally {
      await server.close();
    }
  });

  it('chooses once, on everything, when role principals were not expanded', async () => {
    const assignments = demo.graph[GRAPH_KEYS.roleAssignments] as Item[];
    const bare = assignments.map(({ principal: _principal, ...rest }) => rest);
    const snapshot = { ...demo, graph: { ...demo.graph, [GRAPH_KEYS.roleAssignments]: bare } };
    const server = await startTestGraphServer({ snapshot, token, ignoreExpand: true, pageSize: 4 });
    try {
      const calls: Snapshot[] = [];
      const run = await collect(server, { perUserMfaUsers: engine(calls) });
      expect(run.error).toBeUndefined();
      expect(calls).toHaveLength(1);
      expect(calls[0]!.graph[GRAPH_KEYS.users]).toEqual(run.snapshot!.graph[GRAPH_KEYS.users]);
      expect(calls[0]!.graph[GRAPH_KEYS.registrationDetails]).toBeDefined();
    } finally {
      await server.close();
    }
  });
});
