/**
 * The keys collection gathers since the second wave, against the test Graph server: the policies as beta returns
 * them, the service principals of the app ids policies name (through $batch, only GUIDs, each once) and eligible
 * (PIM) role assignments; each absent with its reason when Graph refuses it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/core/snapshot.js';
import { GRAPH_KEYS, groupMembersKey } from '../../src/core/snapshot.js';
import { AGENT_GROUPS, AGENT_GROUPS_KEY, SERVICE_PRINCIPAL_FIELDS } from '../../src/graph/requests.js';
import { appIdsNamedBy, choosesByPage, referencedGroups } from '../../src/graph/selection.js';
import type { Fault, TestGraphServer } from '../helpers/graph-server.js';
import { startTestGraphServer } from '../helpers/graph-server.js';
import { AZURE_MANAGEMENT_APP, collect, graphToken, MICROSOFT_TENANT, projected, servedTenant } from './support.js';

type Item = Record<string, unknown>;

const TOKEN = graphToken();
const served = servedTenant();
const SP_PATH = /^\/v1\.0\/servicePrincipals\?/;

let server: TestGraphServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(snapshot: Snapshot = served, faults: Fault[] = []): Promise<TestGraphServer> {
  server = await startTestGraphServer({ snapshot, token: TOKEN, faults });
  return server;
}

/** The app ids whose service principal was asked for, in order (from the $filter of each GET inside a $batch). */
const askedAppIds = (s: TestGraphServer): string[] =>
  s.stats.batched.filter((url) => SP_PATH.test(url)).map((url) => /appId eq '([^']*)'/.exec(url)![1]!);

const policies = (): Item[] => structuredClone(served.graph[GRAPH_KEYS.conditionalAccessPolicies]) as Item[];

/** A policy of the demo with other include/exclude applications. */
function naming(policy: Item, includeApplications: unknown[], excludeApplications: unknown[] = []): Item {
  const conditions = policy.conditions as Item;
  return {
    ...policy,
    conditions: {
      ...conditions,
      applications: { ...(conditions.applications as Item), includeApplications, excludeApplications },
    },
  };
}

const THIRD_PARTY = '5b1f0a52-3c1e-4d27-9a51-7e0c7b1d2a90';
const GRAPH_APP = '00000003-0000-0000-c000-000000000000';
const NOWHERE = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

describe('second-wave keys', () => {
  it('collects the beta policies as served, the service principals of the apps policies name, and role eligibility', async () => {
    // Beta shows conditions v1.0 leaves out.
    const beta = policies().map((p, i) =>
      i === 0
        ? {
            ...p,
            conditions: {
              ...(p.conditions as Item),
              devices: { includeDeviceStates: ['All'], excludeDeviceStates: ['Compliant'] },
            },
          }
        : p,
    );
    const s = await serve({ ...served, graph: { ...served.graph, [GRAPH_KEYS.conditionalAccessPoliciesBeta]: beta } });
    const run = await collect(s);
    expect(run.error).toBeUndefined();
    expect(run.snapshot!.collectionErrors).toBeUndefined();
    const graph = run.snapshot!.graph;
    expect(graph[GRAPH_KEYS.conditionalAccessPoliciesBeta]).toEqual(beta);
    expect(graph[GRAPH_KEYS.conditionalAccessPolicies]).toEqual(served.graph[GRAPH_KEYS.conditionalAccessPolicies]);
    // Only the app a policy names (the demo names one), with the fields asked for.
    const sps = projected(served, GRAPH_KEYS.servicePrincipals, SERVICE_PRINCIPAL_FIELDS) as Item[];
    expect(graph[GRAPH_KEYS.servicePrincipals]).toEqual(sps.filter((sp) => sp.appId === AZURE_MANAGEMENT_APP));
    expect((graph[GRAPH_KEYS.servicePrincipals] as Item[])[0]).toMatchObject({
      appOwnerOrganizationId: MICROSOFT_TENANT,
    });
    expect(askedAppIds(s)).toEqual([AZURE_MANAGEMENT_APP]);
    // Role eligibility as Graph returns it, the principal expanded.
    expect(graph[GRAPH_KEYS.roleEligibility]).toEqual(served.graph[GRAPH_KEYS.roleEligibility]);
    expect((graph[GRAPH_KEYS.roleEligibility] as Item[])[0]!.principal).toMatchObject({
      '@odata.type': '#microsoft.graph.user',
    });
    expect(s.stats.byPath.get('/beta/identity/conditionalAccess/policies')).toBe(1);
    expect(s.stats.byPath.get('/v1.0/roleManagement/directory/roleEligibilityScheduleInstances')).toBe(1);
  });

  it('asks Graph for enum members added after unknownFutureValue, so linux arrives as linux', async () => {
    const linux = policies().map((p, i) =>
      i === 0
        ? {
            ...p,
            conditions: {
              ...(p.conditions as Item),
              platforms: { includePlatforms: ['all'], excludePlatforms: ['linux'] },
            },
          }
        : p,
    );
    const graph = {
      ...served.graph,
      [GRAPH_KEYS.conditionalAccessPolicies]: linux,
      [GRAPH_KEYS.conditionalAccessPoliciesBeta]: linux,
    };
    const run = await collect(await serve({ ...served, graph }));
    expect(run.error).toBeUndefined();
    for (const key of [GRAPH_KEYS.conditionalAccessPolicies, GRAPH_KEYS.conditionalAccessPoliciesBeta]) {
      const first = (run.snapshot!.graph[key] as Item[])[0]!;
      expect((first.conditions as { platforms: unknown }).platforms).toEqual({
        includePlatforms: ['all'],
        excludePlatforms: ['linux'],
      });
    }
  });

  it('asks for service principals only of GUID app ids, each once whatever its case, 20 per $batch', async () => {
    const many = Array.from({ length: 23 }, (_, i) => `${i.toString(16).padStart(8, '0')}-1111-4222-8333-444444444444`);
    const [first, second, ...rest] = policies();
    const v1 = [
      naming(
        first!,
        [
          'All',
          'Office365',
          'MicrosoftAdminPortals',
          'None',
          AZURE_MANAGEMENT_APP.toUpperCase(),
          'not-a-guid',
          42,
          null,
        ],
        [GRAPH_APP],
      ),
      naming(second!, [THIRD_PARTY, ...many], [AZURE_MANAGEMENT_APP, ` ${GRAPH_APP} `]),
      ...rest,
    ];
    // Beta names one more app (a policy changed between the two reads).
    const beta = [naming(structuredClone(v1[0]!), ['All'], [NOWHERE.toUpperCase()]), ...structuredClone(v1.slice(1))];
    const graph = {
      ...served.graph,
      [GRAPH_KEYS.conditionalAccessPolicies]: v1,
      [GRAPH_KEYS.conditionalAccessPoliciesBeta]: beta,
    };
    const s = await serve({ ...served, graph });
    const run = await collect(s);
    expect(run.error).toBeUndefined();
    expect(run.snapshot!.collectionErrors).toBeUndefined();
    const expected = [AZURE_MANAGEMENT_APP, GRAPH_APP, THIRD_PARTY, ...many, NOWHERE];
    expect(appIdsNamedBy(v1, beta)).toEqual(expected);
    expect([...askedAppIds(s)].sort()).toEqual([...expected].sort());
    // The ids the v1.0 policies name go out first (26: two batches), the one only beta names after.
    expect(askedAppIds(s).at(-1)).toBe(NOWHERE);
    // One entry per app id that has a service principal, in the order the policies name them.
    const found = run.snapshot!.graph[GRAPH_KEYS.servicePrincipals] as Item[];
    expect(found.map((sp) => sp.appId)).toEqual([AZURE_MANAGEMENT_APP, GRAPH_APP, THIRD_PARTY]);
    expect(found[2]).toEqual({
      id: 'c1a2b3c4-0000-4000-8000-000000000003',
      appId: THIRD_PARTY,
      displayName: 'Contoso Expenses',
      appOwnerOrganizationId: served.tenantId,
    });
  });

  it('asks for no service principal when policies name no app id (collected: none)', async () => {
    const v1 = policies().map((p) => naming(p, ['All'], ['Office365']));
    const graph = {
      ...served.graph,
      [GRAPH_KEYS.conditionalAccessPolicies]: v1,
      [GRAPH_KEYS.conditionalAccessPoliciesBeta]: v1,
    };
    const s = await serve({ ...served, graph });
    const run = await collect(s);
    expect(run.snapshot!.graph[GRAPH_KEYS.servicePrincipals]).toEqual([]);
    expect(askedAppIds(s)).toEqual([]);
    expect(run.snapshot!.collectionErrors).toBeUndefined();
  });

  it('does not collect service principals when no policy list was collected', async () => {
    const s = await serve(served, [
      { path: '/v1.0/identity/conditionalAccess/policies', kind: 'status', status: 403, times: Infinity },
      { path: '/beta/identity/conditionalAccess/policies', kind: 'status', status: 403, times: Infinity },
    ]);
    const run = await collect(s);
    expect(run.error).toBeUndefined();
    expect(run.snapshot!.graph[GRAPH_KEYS.servicePrincipals]).toBeUndefined();
    expect(askedAppIds(s)).toEqual([]);
    expect(Object.keys(run.snapshot!.collectionErrors!).sort()).toEqual(
      [GRAPH_KEYS.conditionalAccessPolicies, GRAPH_KEYS.conditionalAccessPoliciesBeta].sort(),
    );
  });

  it('collects members of groups that are eligible for a role or that only beta policies name', async () => {
    // Groups whose members are collected anyway: policy and role groups, the agent groups found by name.
    const agentGroups = (served.graph[AGENT_GROUPS_KEY] as Item[]).filter((g) =>
      AGENT_GROUPS.includes(g.displayName as string),
    );
    const deciding = referencedGroups({ ...served.graph, [AGENT_GROUPS_KEY]: agentGroups }).groups;
    // A group of the demo no policy or role names (a nested one), and a new one.
    const [eligibleGroup] = Object.keys(served.graph)
      .map((key) => /^v1\.0\/groups\/([^/]+)\/transitiveMembers$/.exec(key)?.[1])
      .filter((id): id is string => id !== undefined && !deciding.has(id));
    expect(eligibleGroup).toBeDefined();
    const betaGroup = 'b0b0b0b0-0000-4000-8000-000000000001';
    const members = (served.graph[GRAPH_KEYS.users] as Item[]).slice(0, 3).map((u) => ({
      '@odata.type': '#microsoft.graph.user',
      id: u.id,
      displayName: u.displayName,
      userPrincipalName: u.userPrincipalName,
    }));
    const beta = policies();
    ((beta[0]!.conditions as Item).users as Item).excludeGroups = [betaGroup];
    const eligibility = [
      ...(served.graph[GRAPH_KEYS.roleEligibility] as Item[]),
      {
        id: 'e2',
        principalId: eligibleGroup,
        roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10',
        directoryScopeId: '/',
      },
    ];
    const graph = {
      ...served.graph,
      [groupMembersKey(betaGroup)]: members,
      [GRAPH_KEYS.conditionalAccessPoliciesBeta]: beta,
      [GRAPH_KEYS.roleEligibility]: eligibility,
    };
    const tenant = { ...served, graph };
    const s = await serve(tenant);
    const run = await collect(s);
    expect(run.error).toBeUndefined();
    expect(run.snapshot!.collectionErrors).toBeUndefined();
    expect((run.snapshot!.graph[GRAPH_KEYS.roleEligibility] as Item[])[1]!.principal).toMatchObject({
      '@odata.type': '#microsoft.graph.group',
    });
    for (const id of [eligibleGroup!, betaGroup]) {
      expect(run.snapshot!.graph[groupMembersKey(id)], id).toEqual(
        projected(tenant, groupMembersKey(id), ['displayName', 'userPrincipalName']),
      );
    }
    // Each group once.
    expect(s.stats.batched.filter((url) => url.includes(`/groups/${betaGroup}/transitiveMembers`))).toHaveLength(1);
  });

  it('chooses once, on everything, when eligible principals were not expanded', () => {
    const bare = {
      ...served.graph,
      [GRAPH_KEYS.roleEligibility]: [{ id: 'e', principalId: 'p', roleDefinitionId: 'r' }],
    };
    expect(choosesByPage(bare)).toBe(false);
    const expanded = {
      ...bare,
      [GRAPH_KEYS.roleEligibility]: [
        {
          id: 'e',
          principalId: 'p',
          roleDefinitionId: 'r',
          principal: { '@odata.type': '#microsoft.graph.user', id: 'p' },
        },
      ],
    };
    expect(choosesByPage(expanded)).toBe(true);
  });

  it('the choice of users sees the second-wave keys', async () => {
    const s = await serve();
    const seen: Snapshot[] = [];
    const run = await collect(s, { perUserMfaUsers: (snapshot) => (seen.push(snapshot), []) });
    expect(run.error).toBeUndefined();
    expect(seen.length).toBeGreaterThan(0);
    for (const snapshot of seen) {
      for (const key of [
        GRAPH_KEYS.conditionalAccessPoliciesBeta,
        GRAPH_KEYS.servicePrincipals,
        GRAPH_KEYS.roleEligibility,
      ]) {
        expect(snapshot.graph[key], key).toEqual(run.snapshot!.graph[key]);
      }
    }
  });
});

describe('second-wave keys refused or failing', () => {
  const cases: Array<[string, string, Fault, RegExp]> = [
    [
      'beta policies',
      GRAPH_KEYS.conditionalAccessPoliciesBeta,
      { path: '/beta/identity/conditionalAccess/policies', kind: 'status', status: 403, times: Infinity },
      /^403 Forbidden Authorization_RequestDenied: needs the Graph permission Policy\.Read\.All/,
    ],
    [
      'service principals',
      GRAPH_KEYS.servicePrincipals,
      { path: SP_PATH, kind: 'status', status: 403, inBatch: true, times: Infinity },
      /^403 Forbidden Authorization_RequestDenied: needs the Graph permission Application\.Read\.All/,
    ],
    [
      'role eligibility',
      GRAPH_KEYS.roleEligibility,
      {
        path: '/v1.0/roleManagement/directory/roleEligibilityScheduleInstances',
        kind: 'status',
        status: 403,
        times: Infinity,
      },
      /^403 Forbidden Authorization_RequestDenied: needs the Graph permission RoleManagement\.Read\.Directory/,
    ],
    [
      'role eligibility without Entra ID P2',
      GRAPH_KEYS.roleEligibility,
      {
        path: '/v1.0/roleManagement/directory/roleEligibilityScheduleInstances',
        kind: 'status',
        status: 400,
        code: 'AadPremiumLicenseRequired',
        times: Infinity,
      },
      /^400 AadPremiumLicenseRequired: the tenant needs an Entra ID P2/,
    ],
  ];

  it.each(cases)(
    '%s: the key is absent, the reason recorded, the rest collected',
    async (_name, key, fault, reason) => {
      const s = await serve(served, [fault]);
      const run = await collect(s, { tty: true });
      expect(run.error).toBeUndefined();
      expect(s.stats.faultsFired).toBeGreaterThan(0);
      expect(run.snapshot!.graph[key]).toBeUndefined();
      expect(run.snapshot!.collectionErrors).toEqual({ [key]: expect.stringMatching(reason) });
      expect(run.stderr).toContain(`${key}: `);
      for (const other of [GRAPH_KEYS.users, GRAPH_KEYS.conditionalAccessPolicies, GRAPH_KEYS.roleAssignments]) {
        expect(run.snapshot!.graph[other], other).toBeDefined();
      }
    },
  );

  it('a 403 on the beta policies still collects service principals of the apps the v1.0 policies name', async () => {
    const s = await serve(served, [cases[0]![2]]);
    const run = await collect(s);
    expect(run.snapshot!.graph[GRAPH_KEYS.servicePrincipals]).toHaveLength(1);
  });

  it('service principals throttled inside a $batch are asked again, and a lost one leaves the key absent', async () => {
    const s = await serve(served, [
      { path: SP_PATH, kind: 'status', status: 429, retryAfter: 1, inBatch: true, times: 2 },
    ]);
    const run = await collect(s);
    expect(run.snapshot!.collectionErrors).toBeUndefined();
    expect(run.snapshot!.graph[GRAPH_KEYS.servicePrincipals]).toHaveLength(1);
    expect(askedAppIds(s)).toEqual([AZURE_MANAGEMENT_APP, AZURE_MANAGEMENT_APP, AZURE_MANAGEMENT_APP]);
    s.addFault({ path: SP_PATH, kind: 'status', status: 503, inBatch: true, times: Infinity });
    const lost = await collect(s, { settings: { maxAttempts: 2 } });
    expect(lost.snapshot!.graph[GRAPH_KEYS.servicePrincipals]).toBeUndefined();
    expect(lost.snapshot!.collectionErrors![GRAPH_KEYS.servicePrincipals]).toMatch(/HTTP 503/);
  });
});
