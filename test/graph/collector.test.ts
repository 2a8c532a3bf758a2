/**
 * Live collection in-process, with the real Graph client over real HTTPS against the test Graph server: every key,
 * paging, $batch, each fault survived or ending in the documented error, the CA limiter, permissions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { federationConfigurationKey, GRAPH_KEYS, groupMembersKey, perUserMfaKey } from '../../src/core/snapshot.js';
import type { Snapshot } from '../../src/core/snapshot.js';
import { CollectionError } from '../../src/errors.js';
import { createGraphTransport } from '../../src/graph/client.js';
import { collectSnapshot } from '../../src/graph/collector.js';
import { newStats } from '../../src/graph/resilience.js';
import { settingsFromEnv } from '../../src/graph/settings.js';
import { AGENT_GROUPS, AGENT_GROUPS_KEY, PER_USER_MFA_ALL_KEY, USER_FIELDS } from '../../src/graph/requests.js';
import { referencedGroups } from '../../src/graph/selection.js';
import type { Fault, TestGraphServer } from '../helpers/graph-server.js';
import { startTestGraphServer } from '../helpers/graph-server.js';
import { asSnapshotGraph, collect, graphToken, projected, recordingSleep, servedTenant } from './support.js';

const TOKEN = graphToken();
/** The demo tenant, with the second-wave keys (beta policies, service principals, role eligibility) served too. */
const demo = servedTenant();
const users = demo.graph[GRAPH_KEYS.users] as Array<{ id: string }>;
/** Users the demo fixture has a per-user MFA state for (Graph would answer for every user; the fixture does not). */
const allUserIds = users.map((u) => u.id).filter((id) => demo.graph[perUserMfaKey(id)] !== undefined);

/** The demo's groups named like Partner Center's agent groups (the collector asks Graph for these by name). */
const agentGroups = (demo.graph[AGENT_GROUPS_KEY] as Array<{ displayName: string }>).filter((g) =>
  AGENT_GROUPS.includes(g.displayName),
);
/** Groups whose members decide verdicts: policy and role groups, agent groups; not, e.g., a nested group. */
const decidingGroups = referencedGroups({ ...demo.graph, [AGENT_GROUPS_KEY]: agentGroups }).groups;

let server: TestGraphServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(options: { faults?: Fault[]; pageSize?: number; latencyMs?: number } = {}) {
  server = await startTestGraphServer({ snapshot: demo, token: TOKEN, ...options });
  return server;
}

/** Keys a full collection of the demo tenant gathers (per-user MFA state only for the users asked for). */
function expectedKeys(perUser: string[]): string[] {
  return Object.keys(demo.graph)
    .filter((key) => !key.startsWith('beta/users/') || perUser.some((id) => key === perUserMfaKey(id)))
    .filter((key) => !key.endsWith('/transitiveMembers') || decidingGroups.has(key.split('/')[2]!))
    .sort();
}

describe('collection of every key', () => {
  it('gathers every key the engine reads, exactly as served, with the token on the custom host', async () => {
    const s = await serve();
    const perUser = allUserIds.slice(0, 5);
    const run = await collect(s, { perUserMfaUsers: () => perUser });
    expect(run.error).toBeUndefined();
    const snapshot = run.snapshot!;
    expect(snapshot.format).toBe('mfa-audit-snapshot/1');
    expect(snapshot.tenantId).toBe(demo.tenantId);
    expect(snapshot.collectedAt).toBe('2026-11-21T12:00:00.000Z');
    expect(snapshot.collectionErrors).toBeUndefined();
    expect(Object.keys(snapshot.graph).sort()).toEqual(expectedKeys(perUser));
    // What was collected is what was served (collections: every page in order; single resources without @odata.context).
    expect(asSnapshotGraph(snapshot.graph)).toEqual(asSnapshotGraph(s.served()));
    // …and that is the fixture through the $select of the needed fields.
    expect(snapshot.graph[GRAPH_KEYS.users]).toEqual(projected(demo, GRAPH_KEYS.users, USER_FIELDS));
    expect(snapshot.graph[GRAPH_KEYS.conditionalAccessPolicies]).toEqual(
      demo.graph[GRAPH_KEYS.conditionalAccessPolicies],
    );
    expect(snapshot.graph[GRAPH_KEYS.securityDefaults]).toEqual(demo.graph[GRAPH_KEYS.securityDefaults]);
    expect(s.stats.authFailures).toBe(0);
  });

  it('collects members only of groups that policies, role assignments or agent groups reference', async () => {
    const s = await serve();
    const run = await collect(s);
    const memberKeys = Object.keys(run.snapshot!.graph).filter((k) => k.endsWith('/transitiveMembers'));
    expect(memberKeys.sort()).toEqual([...decidingGroups].map(groupMembersKey).sort());
    expect(decidingGroups.size).toBeGreaterThan(3);
    // The agent groups by name, then the other groups whose members were collected (for their names).
    const listed = run.snapshot!.graph[AGENT_GROUPS_KEY] as Array<{ id: string; displayName: string }>;
    expect(listed.slice(0, agentGroups.length)).toEqual(
      agentGroups.map((g) => ({ id: (g as { id?: string }).id, displayName: g.displayName })),
    );
    expect(new Set(listed.map((g) => g.id))).toEqual(decidingGroups);
    // Federation configuration only for federated domains.
    expect(run.snapshot!.graph[federationConfigurationKey('tailspin-it.com')]).toBeDefined();
    expect(Object.keys(run.snapshot!.graph).filter((k) => k.endsWith('/federationConfiguration'))).toHaveLength(1);
  });

  it('finds group principals of role assignments that Graph did not expand (a service principal is skipped)', async () => {
    const assignments = demo.graph[GRAPH_KEYS.roleAssignments] as Array<Record<string, unknown>>;
    const bare = assignments.map(({ principal: _principal, ...rest }) => rest);
    const groupPrincipal = assignments.find((a) =>
      /group$/.test(String((a.principal as { '@odata.type'?: string })?.['@odata.type'])),
    )!;
    const snapshot = { ...demo, graph: { ...demo.graph, [GRAPH_KEYS.roleAssignments]: bare } };
    server = await startTestGraphServer({ snapshot, token: TOKEN, ignoreExpand: true });
    const run = await collect(server);
    expect(run.error).toBeUndefined();
    expect(run.snapshot!.collectionErrors).toBeUndefined();
    expect(run.snapshot!.graph[groupMembersKey(groupPrincipal.principalId as string)]).toEqual(
      projected(demo, groupMembersKey(groupPrincipal.principalId as string), ['displayName', 'userPrincipalName']),
    );
  });

  it('pages through @odata.nextLink until the end, asking for the largest page size', async () => {
    const s = await serve({ pageSize: 4 });
    const run = await collect(s);
    expect(run.snapshot!.graph[GRAPH_KEYS.users]).toEqual(projected(demo, GRAPH_KEYS.users, USER_FIELDS));
    expect(s.stats.byPath.get('/v1.0/users')).toBe(Math.ceil(users.length / 4));
    // Some groups have more members than a page: their first page came in the batch, the rest through nextLink.
    const bigGroups = [...decidingGroups].filter((id) => (demo.graph[groupMembersKey(id)] as unknown[]).length > 4);
    expect(bigGroups.length).toBeGreaterThan(0);
    for (const id of bigGroups) expect(s.stats.byPath.get(`/v1.0/groups/${id}/transitiveMembers`)).toBeGreaterThan(0);
    const registration = demo.graph[GRAPH_KEYS.registrationDetails] as unknown[];
    expect(run.snapshot!.graph[GRAPH_KEYS.registrationDetails]).toEqual(registration);
    // Members of big groups continue outside the batch through their nextLink.
    for (const key of [...decidingGroups].map(groupMembersKey)) {
      expect(run.snapshot!.graph[key], key).toEqual(projected(demo, key, ['displayName', 'userPrincipalName']));
    }
  });

  it('asks per-user MFA state only for the users the engine names, 20 per $batch', async () => {
    const s = await serve();
    const run = await collect(s, { perUserMfaUsers: () => allUserIds });
    expect(s.stats.byPath.get('/beta/$batch')).toBe(Math.ceil(allUserIds.length / 20));
    for (const id of allUserIds) {
      expect(run.snapshot!.graph[perUserMfaKey(id)]).toEqual(demo.graph[perUserMfaKey(id)]);
    }
    // Each user once, whatever the choice repeats.
    const repeated = await collect(s, { perUserMfaUsers: () => [...allUserIds, ...allUserIds.slice(0, 7)] });
    expect(repeated.snapshot!.collectionErrors).toBeUndefined();
    expect(s.stats.byPath.get('/beta/$batch')).toBe(2 * Math.ceil(allUserIds.length / 20));
    const none = await collect(s, { perUserMfaUsers: () => [] });
    expect(Object.keys(none.snapshot!.graph).some((k) => k.startsWith('beta/users/'))).toBe(false);
  });

  it('never has more requests in flight than allowed', async () => {
    const s = await serve({ latencyMs: 20 });
    await collect(s, { perUserMfaUsers: () => allUserIds, settings: { concurrency: 3 } });
    expect(s.stats.maxInFlight).toBeLessThanOrEqual(3);
    expect(s.stats.maxInFlight).toBeGreaterThan(1);
  });
});

describe('throttling and faults', () => {
  const survivable: Array<[string, Fault]> = [
    ['429 with Retry-After', { path: '/v1.0/users', kind: 'status', status: 429, retryAfter: 3, times: 2 }],
    ['429 without Retry-After', { path: '/v1.0/users', kind: 'status', status: 429, times: 2 }],
    ['500', { path: '/v1.0/domains', kind: 'status', status: 500, times: 2 }],
    [
      '503 with Retry-After',
      { path: '/v1.0/roleManagement/directory/roleAssignments', kind: 'status', status: 503, retryAfter: 1 },
    ],
    ['504', { path: '/v1.0/policies/authenticationStrengthPolicies', kind: 'status', status: 504 }],
    ['a connection reset', { path: '/v1.0/users', kind: 'reset', times: 2 }],
    ['a truncated body', { path: '/v1.0/reports/authenticationMethods/userRegistrationDetails', kind: 'truncated' }],
    ['a body cut to invalid JSON', { path: '/v1.0/users', kind: 'bad-json' }],
    ['429 of the $batch envelope', { path: '/beta/$batch', kind: 'status', status: 429, retryAfter: 2 }],
    [
      '429 inside a $batch',
      { path: /^\/beta\/users\//, kind: 'status', status: 429, retryAfter: 2, inBatch: true, times: 15 },
    ],
    [
      '429 inside a $batch, no Retry-After',
      { path: /transitiveMembers/, kind: 'status', status: 429, inBatch: true, times: 4 },
    ],
    ['503 inside a $batch', { path: /^\/beta\/users\//, kind: 'status', status: 503, inBatch: true, times: 3 }],
  ];

  it.each(survivable)('survives %s with nothing lost', async (_name, fault) => {
    const s = await serve({ faults: [fault], pageSize: 20 });
    const run = await collect(s, { perUserMfaUsers: () => allUserIds });
    expect(run.error).toBeUndefined();
    expect(s.stats.faultsFired).toBeGreaterThan(0);
    expect(run.snapshot!.collectionErrors).toBeUndefined();
    expect(Object.keys(run.snapshot!.graph).sort()).toEqual(expectedKeys(allUserIds));
    expect(asSnapshotGraph(run.snapshot!.graph)).toEqual(asSnapshotGraph(s.served()));
    expect(run.stats.retries).toBeGreaterThan(0);
  });

  it('honours Retry-After (seconds)', async () => {
    const s = await serve({ faults: [{ path: '/v1.0/domains', kind: 'status', status: 429, retryAfter: 7 }] });
    const recorder = recordingSleep();
    const run = await collect(s, { settings: { sleep: recorder.sleep } });
    expect(run.error).toBeUndefined();
    expect(recorder.waits).toContain(7000);
  });

  it('honours Retry-After inside a $batch entry', async () => {
    const s = await serve({
      faults: [{ path: /^\/beta\/users\//, kind: 'status', status: 429, retryAfter: 4, inBatch: true, times: 3 }],
    });
    const recorder = recordingSleep();
    const run = await collect(s, {
      perUserMfaUsers: () => allUserIds.slice(0, 10),
      settings: { sleep: recorder.sleep },
    });
    expect(run.snapshot!.collectionErrors).toBeUndefined();
    expect(recorder.waits).toContain(4000);
  });

  it('backs off exponentially with jitter when no Retry-After is given', async () => {
    const s = await serve({ faults: [{ path: '/v1.0/domains', kind: 'status', status: 500, times: 3 }] });
    const recorder = recordingSleep();
    await collect(s, { settings: { sleep: recorder.sleep, random: () => 1 } });
    expect(recorder.waits).toEqual(expect.arrayContaining([1000, 2000, 4000]));
    s.addFault({ path: '/v1.0/domains', kind: 'status', status: 500, times: 3 });
    const jittered = recordingSleep();
    await collect(s, { settings: { sleep: jittered.sleep, random: () => 0 } });
    expect(jittered.waits).toEqual(expect.arrayContaining([500, 1000, 2000]));
  });

  it('gives up on a slow answer after the per-request timeout and retries it', async () => {
    const s = await serve({ faults: [{ path: '/v1.0/domains', kind: 'slow', delayMs: 4000 }] });
    const run = await collect(s, { settings: { timeoutMs: 1500 } });
    expect(run.error).toBeUndefined();
    expect(run.snapshot!.graph[GRAPH_KEYS.domains]).toEqual(demo.graph[GRAPH_KEYS.domains]);
    expect(run.stats.retries).toBe(1);
  });

  it('spaces Conditional Access requests (no Retry-After there) with the client-side limiter', async () => {
    const s = await serve({
      pageSize: 4,
      faults: [{ path: '/v1.0/identity/conditionalAccess/policies', kind: 'status', status: 429, times: 1 }],
    });
    const run = await collect(s, { realTime: true, settings: { conditionalAccessIntervalMs: 300 } });
    expect(run.error).toBeUndefined();
    const times = s.stats.conditionalAccessTimes;
    expect(times.length).toBeGreaterThanOrEqual(4);
    // Starts are spaced by the interval on the client; arrival can skew by a TLS handshake or a busy machine.
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(200);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(300 * (times.length - 1) - 100);
  });

  it('ends with one CollectionError when retries on the user list run out', async () => {
    const s = await serve({ faults: [{ path: '/v1.0/users', kind: 'status', status: 503, times: Infinity }] });
    const run = await collect(s, { settings: { maxAttempts: 4 } });
    expect(run.error).toBeInstanceOf(CollectionError);
    expect(run.error!.message).toMatch(/v1\.0\/users/);
    expect(s.stats.byPath.get('/v1.0/users')).toBe(4);
  });

  it('ends with one CollectionError when the user list fails after per-user batches have started', async () => {
    const s = await serve({
      pageSize: 4,
      faults: [{ path: '/v1.0/users', kind: 'status', status: 503, skip: 3, times: Infinity }],
    });
    const run = await collect(s, {
      perUserMfaUsers: (snapshot) => (snapshot.graph[GRAPH_KEYS.users] as Array<{ id: string }>).map((u) => u.id),
      settings: { maxAttempts: 2 },
    });
    expect(run.error).toBeInstanceOf(CollectionError);
    expect(run.error!.message).toMatch(/v1\.0\/users/);
  });

  it('stops retrying when the run-wide retry budget is spent', async () => {
    const s = await serve({ faults: [{ path: '/v1.0/users', kind: 'reset', times: Infinity }] });
    const run = await collect(s, { settings: { maxAttempts: 50, maxTotalRetries: 5 } });
    expect(run.error).toBeInstanceOf(CollectionError);
    expect(run.error!.message).toMatch(/gave up after 6 attempts/);
  });

  it('records an endpoint that keeps failing as not collected, and goes on', async () => {
    const s = await serve({ faults: [{ path: '/v1.0/domains', kind: 'status', status: 500, times: Infinity }] });
    const run = await collect(s, { settings: { maxAttempts: 3 } });
    expect(run.error).toBeUndefined();
    expect(run.snapshot!.graph[GRAPH_KEYS.domains]).toBeUndefined();
    expect(run.snapshot!.collectionErrors![GRAPH_KEYS.domains]).toMatch(/HTTP 500/);
    expect(run.snapshot!.graph[GRAPH_KEYS.users]).toBeDefined();
  });

  it('ends with a CollectionError when Graph cannot be reached at all', async () => {
    const s = await serve();
    const url = s.url;
    await s.close();
    server = undefined;
    const run = await collect({ ...s, url }, { settings: { maxAttempts: 2 } });
    expect(run.error).toBeInstanceOf(CollectionError);
    expect(run.error!.message).toMatch(/ECONNREFUSED/);
  });
});

describe('progress', () => {
  it('shows phases, requests and throttling waits on a terminal', async () => {
    const s = await serve({ faults: [{ path: '/v1.0/domains', kind: 'status', status: 429, retryAfter: 2 }] });
    const run = await collect(s, { tty: true, perUserMfaUsers: () => allUserIds });
    expect(run.stderr).toMatch(/Collecting users, policies/);
    expect(run.stderr).toMatch(/Collecting members of \d+ groups/);
    expect(run.stderr).toMatch(/Collecting per-user MFA state of the users no other mechanism decides, page by page/);
    expect(run.stderr).toMatch(/per-user MFA state: \d+ users asked for \(\d+ batches\)/);
    expect(run.stderr).toMatch(/throttled: waiting 2\.0 s \(HTTP 429 on v1\.0\/domains\)/);
    expect(run.stderr).toMatch(/Collected in [\d.]+ s: \d+ requests \(\d+ in batches\), 1 throttled, 1 retries/);
  });

  it('is quiet when stderr is not a terminal, or with --quiet', async () => {
    const s = await serve();
    expect((await collect(s)).stderr).toBe('');
    expect((await collect(s, { tty: true, cli: { quiet: true } })).stderr).toBe('');
  });
});

describe('permissions', () => {
  it('names the missing permission of a 403, leaves the key absent and collects the rest', async () => {
    const s = await serve({
      faults: [
        {
          path: '/v1.0/reports/authenticationMethods/userRegistrationDetails',
          kind: 'status',
          status: 403,
          times: Infinity,
        },
      ],
    });
    const run = await collect(s);
    expect(run.error).toBeUndefined();
    expect(run.snapshot!.graph[GRAPH_KEYS.registrationDetails]).toBeUndefined();
    expect(run.snapshot!.collectionErrors![GRAPH_KEYS.registrationDetails]).toMatch(/403.*AuditLog\.Read\.All/);
    expect(run.stderr).toMatch(/AuditLog\.Read\.All/);
    expect(run.snapshot!.graph[GRAPH_KEYS.conditionalAccessPolicies]).toBeDefined();
  });

  it('a 403 on Conditional Access names Policy.Read.All', async () => {
    const s = await serve({
      faults: [{ path: '/v1.0/identity/conditionalAccess/policies', kind: 'status', status: 403, times: Infinity }],
    });
    const run = await collect(s);
    expect(run.snapshot!.collectionErrors![GRAPH_KEYS.conditionalAccessPolicies]).toMatch(/Policy\.Read\.All/);
  });

  it('a 403 on the user list ends the run naming User.Read.All', async () => {
    const s = await serve({ faults: [{ path: '/v1.0/users', kind: 'status', status: 403, times: Infinity }] });
    const run = await collect(s);
    expect(run.error).toBeInstanceOf(CollectionError);
    expect(run.error!.message).toMatch(/User\.Read\.All/);
  });

  it('a 403 inside the per-user batches is recorded once and stops further batches', async () => {
    const s = await serve({
      faults: [{ path: /^\/beta\/users\//, kind: 'status', status: 403, inBatch: true, times: Infinity }],
    });
    const run = await collect(s, { perUserMfaUsers: () => allUserIds, settings: { concurrency: 1 } });
    expect(run.error).toBeUndefined();
    expect(run.snapshot!.collectionErrors![PER_USER_MFA_ALL_KEY]).toMatch(/Policy\.Read\.All/);
    expect(s.stats.byPath.get('/beta/$batch')).toBe(1);
    expect(Object.keys(run.snapshot!.graph).some((k) => k.startsWith('beta/users/'))).toBe(false);
  });

  it('a 403 on one group records that group only', async () => {
    const group = groupMembersKey([...decidingGroups][0]!);
    const s = await serve({
      faults: [{ path: '/' + group, kind: 'status', status: 403, inBatch: true, times: Infinity }],
    });
    const run = await collect(s);
    expect(run.snapshot!.collectionErrors).toEqual({ [group]: expect.stringMatching(/GroupMember\.Read\.All/) });
  });

  it('a rejected token (401) ends the run with one line', async () => {
    const s = await serve();
    const run = await collect(s, { token: graphToken({ oid: 'other' }) });
    expect(run.error).toBeInstanceOf(CollectionError);
    expect(run.error!.message).toMatch(/401/);
    expect(run.error!.message).not.toContain(TOKEN);
  });

  it('says before collection which permissions the token lacks', async () => {
    const token = graphToken({ roles: ['User.Read.All', 'Policy.Read.All'] });
    server = await startTestGraphServer({ snapshot: demo, token });
    const run = await collect(server, { token });
    expect(run.stderr).toMatch(
      /lacks GroupMember\.Read\.All, RoleManagement\.Read\.Directory, AuditLog\.Read\.All, Domain\.Read\.All, Application\.Read\.All in 'roles'/,
    );
    expect(run.stderr).not.toContain(token);
  });

  it('reads delegated scopes from scp', async () => {
    const token = graphToken({
      idtyp: 'user',
      roles: undefined,
      scp: 'User.Read.All Directory.Read.All AuditLog.Read.All',
    });
    server = await startTestGraphServer({ snapshot: demo, token });
    const run = await collect(server, { token });
    expect(run.stderr).toMatch(/\(delegated\) lacks Policy\.Read\.All, RoleManagement\.Read\.Directory in 'scp'/);
    expect(run.stderr).toMatch(/Global Reader/);
  });

  it('takes the token quoted or with Bearer, and reports a domain --tenant-id as the tenant id the token names', async () => {
    const s = await serve();
    const run = await collect(s, { token: ` "Bearer ${TOKEN}" `, cli: { tenantId: 'northwindcloud.com' } });
    expect(run.error).toBeUndefined();
    expect(run.snapshot!.tenantId).toBe(demo.tenantId);
    expect(s.stats.authFailures).toBe(0);
  });

  it('refuses an expired token and a token of another tenant before calling Graph', async () => {
    const s = await serve();
    const expired = await collect(s, {
      token: graphToken({ exp: Math.floor(Date.parse('2026-11-21T11:00:00Z') / 1000) }),
    });
    expect(expired.error).toBeInstanceOf(CollectionError);
    expect(expired.error!.message).toMatch(/expired at 2026-11-21T11:00:00/);
    const other = await collect(s, { token: graphToken({ tid: '11111111-2222-3333-4444-555555555555' }) });
    expect(other.error!.message).toMatch(/issued for tenant 11111111/);
    expect(s.stats.requests).toBe(0);
  });
});

describe('onUsersAndDomains (what starts the sign-in log MFA chains early)', () => {
  it('is called once, before the collection ends, with the users and domains the snapshot ends with', async () => {
    const s = await serve({ pageSize: 2 });
    const transport = createGraphTransport({
      graphUrl: s.url,
      getAccessToken: () => Promise.resolve(TOKEN),
      settings: settingsFromEnv({}, { sleep: recordingSleep().sleep, timeoutMs: 5000 }),
      stats: newStats(),
      trustedCa: s.ca,
    });
    try {
      const seen: Snapshot[] = [];
      let ended = false;
      const collected = await collectSnapshot(transport, {
        tenantId: demo.tenantId,
        collectedAt: '2026-11-21T12:00:00Z',
        perUserMfaUsers: () => allUserIds,
        onUsersAndDomains: (sofar) => {
          expect(ended).toBe(false);
          seen.push(sofar);
        },
      }).finally(() => (ended = true));
      expect(seen).toHaveLength(1);
      for (const key of [GRAPH_KEYS.users, GRAPH_KEYS.domains]) {
        expect(seen[0]!.graph[key]).toBeDefined();
        expect(seen[0]!.graph[key]).toEqual(collected.graph[key]);
      }
    } finally {
      transport.close();
    }
  });
});
