/** Snapshot reading and validation: JSON of a Snapshot (src/core/snapshot.ts). */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSnapshot, readSnapshot, WHAT_IF_PLAN_KEY } from '../../src/input/snapshot.js';
import { InputError } from '../../src/errors.js';
import { GRAPH_KEYS } from '../../src/core/snapshot.js';

const ok = (graph: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    format: 'mfa-audit-snapshot/1',
    tenantId: 't',
    collectedAt: '2026-11-20T00:00:00Z',
    graph: { 'v1.0/users': [], ...graph },
    ...extra,
  });

function error(text: string): string {
  try {
    parseSnapshot(text, 'tenant.json');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected an InputError');
}

describe('parseSnapshot', () => {
  it('accepts the documented format with only v1.0/users', () => {
    const s = parseSnapshot(ok({ 'v1.0/users': [{ id: 'u1', userPrincipalName: 'a@b.c', userType: null }] }), 'x');
    expect(s.graph[GRAPH_KEYS.users]).toHaveLength(1);
  });
  it('names the JSON path and the problem in one line', () => {
    expect(error(ok({ 'v1.0/users': [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 3 }] }))).toBe(
      'snapshot tenant.json: graph["v1.0/users"][3].id: expected string, received number',
    );
    expect(error(ok({ 'v1.0/users': [{ userPrincipalName: 'x' }] }))).toBe(
      'snapshot tenant.json: graph["v1.0/users"][0].id: missing (expected string)',
    );
    expect(error(ok({ 'v1.0/users': [{ id: 'a', accountEnabled: 'yes' }] }))).toBe(
      'snapshot tenant.json: graph["v1.0/users"][0].accountEnabled: expected boolean, received string',
    );
  });
  it('requires v1.0/users', () => {
    const text = JSON.stringify({ format: 'mfa-audit-snapshot/1', tenantId: 't', collectedAt: 'x', graph: {} });
    expect(error(text)).toBe('snapshot tenant.json: graph["v1.0/users"]: missing (the users are required)');
    expect(error(ok({ 'v1.0/users': null }))).toContain('graph["v1.0/users"]: expected array, received null');
  });
  it('checks format, tenantId and the graph object', () => {
    expect(error(ok({}, { format: 'other/2' }))).toContain(
      'snapshot tenant.json: format: expected "mfa-audit-snapshot/1"',
    );
    expect(error(ok({}, { tenantId: 5 }))).toContain('tenantId: expected string');
    expect(error('[]')).toContain('expected a JSON object');
    expect(error('{"format":')).toMatch(/^snapshot tenant\.json: not valid JSON/);
  });
  it('checks policies with a precise path', () => {
    const bad = [{ id: 'p1', state: 'enabled', conditions: { users: { includeUsers: 'All' } } }];
    expect(error(ok({ [GRAPH_KEYS.conditionalAccessPolicies]: bad }))).toBe(
      'snapshot tenant.json: graph["v1.0/identity/conditionalAccess/policies"][0].conditions.users.includeUsers: expected array, received string',
    );
  });
  it('checks group members, registration details, per-user state and federation keys', () => {
    expect(error(ok({ 'v1.0/groups/g1/transitiveMembers': [{ id: 1 }] }))).toContain(
      'graph["v1.0/groups/g1/transitiveMembers"][0].id',
    );
    expect(error(ok({ [GRAPH_KEYS.registrationDetails]: [{ id: 'u', isMfaRegistered: 'no' }] }))).toContain(
      'isMfaRegistered: expected boolean',
    );
    expect(error(ok({ 'beta/users/u1/authentication/requirements': { perUserMfaState: 1 } }))).toContain(
      'perUserMfaState',
    );
    expect(error(ok({ 'v1.0/domains/a.com/federationConfiguration': [{ federatedIdpMfaBehavior: 3 }] }))).toContain(
      'federationConfiguration',
    );
  });
  it('checks beta policies, service principals and role eligibilities when present, naming the JSON path', () => {
    const beta = [
      {
        id: 'p1',
        state: 'enabled',
        conditions: {
          users: { includeUsers: ['All'] },
          devices: { includeDeviceStates: ['All'], excludeDeviceStates: ['Compliant'] },
          deviceStates: { includeStates: ['All'], excludeStates: [] },
        },
      },
    ];
    const sps = [
      { id: 's1', appId: '797f4846-ba00-4fd7-ba43-dac1f8f63013', displayName: 'Azure', appOwnerOrganizationId: null },
    ];
    const eligible = [{ id: 'e1', principalId: 'u1', roleDefinitionId: 'r1', directoryScopeId: '/' }];
    const s = parseSnapshot(
      ok({
        [GRAPH_KEYS.conditionalAccessPoliciesBeta]: beta,
        [GRAPH_KEYS.servicePrincipals]: sps,
        [GRAPH_KEYS.roleEligibility]: eligible,
      }),
      'x',
    );
    expect(s.graph[GRAPH_KEYS.conditionalAccessPoliciesBeta]).toEqual(beta);
    expect(s.graph[GRAPH_KEYS.servicePrincipals]).toEqual(sps);
    expect(s.graph[GRAPH_KEYS.roleEligibility]).toEqual(eligible);
    expect(s.collectionErrors).toBeUndefined();
    // Empty arrays: collected, and there are none.
    expect(() =>
      parseSnapshot(ok({ [GRAPH_KEYS.servicePrincipals]: [], [GRAPH_KEYS.roleEligibility]: [] }), 'x'),
    ).not.toThrow();

    expect(
      error(
        ok({
          [GRAPH_KEYS.conditionalAccessPoliciesBeta]: [
            { id: 'p1', state: 'enabled', conditions: { users: { excludeRoles: 'r' } } },
          ],
        }),
      ),
    ).toBe(
      'snapshot tenant.json: graph["beta/identity/conditionalAccess/policies"][0].conditions.users.excludeRoles: expected array, received string',
    );
    expect(error(ok({ [GRAPH_KEYS.conditionalAccessPoliciesBeta]: {} }))).toBe(
      'snapshot tenant.json: graph["beta/identity/conditionalAccess/policies"]: expected array, received object',
    );
    expect(error(ok({ [GRAPH_KEYS.servicePrincipals]: [{ id: 's1' }] }))).toBe(
      'snapshot tenant.json: graph["v1.0/servicePrincipals"][0].appId: missing (expected string)',
    );
    expect(error(ok({ [GRAPH_KEYS.servicePrincipals]: [{ id: 's1', appId: 'a', appOwnerOrganizationId: 7 }] }))).toBe(
      'snapshot tenant.json: graph["v1.0/servicePrincipals"][0].appOwnerOrganizationId: expected string, received number',
    );
    expect(error(ok({ [GRAPH_KEYS.servicePrincipals]: ['s1'] }))).toBe(
      'snapshot tenant.json: graph["v1.0/servicePrincipals"][0]: expected object, received string',
    );
    expect(error(ok({ [GRAPH_KEYS.roleEligibility]: [{ principalId: 'u1', roleDefinitionId: 5 }] }))).toBe(
      'snapshot tenant.json: graph["v1.0/roleManagement/directory/roleEligibilityScheduleInstances"][0].roleDefinitionId: expected string, received number',
    );
  });
  it('null for a second-wave key means "not collected"', () => {
    const s = parseSnapshot(ok({ [GRAPH_KEYS.roleEligibility]: null, [GRAPH_KEYS.servicePrincipals]: null }), 'x');
    expect(GRAPH_KEYS.roleEligibility in s.graph).toBe(false);
    expect(Object.keys(s.collectionErrors!).sort()).toEqual(
      [GRAPH_KEYS.roleEligibility, GRAPH_KEYS.servicePrincipals].sort(),
    );
  });
  it('accepts unknown enum values (they are judged by the engine, never counted as MFA)', () => {
    const p = [
      {
        id: 'p',
        state: 'enabled',
        conditions: { clientAppTypes: ['unknownFutureValue'] },
        grantControls: { operator: 'OR', builtInControls: ['verifiedID'] },
      },
    ];
    expect(() => parseSnapshot(ok({ [GRAPH_KEYS.conditionalAccessPolicies]: p }), 'x')).not.toThrow();
  });
  it('null where a collection is expected means "not collected", recorded in collectionErrors', () => {
    const s = parseSnapshot(ok({ [GRAPH_KEYS.namedLocations]: null }), 'x');
    expect(GRAPH_KEYS.namedLocations in s.graph).toBe(false);
    expect(s.collectionErrors![GRAPH_KEYS.namedLocations]).toContain('not collected');
  });
  it('null array fields inside objects are accepted', () => {
    const p = [
      {
        id: 'p',
        state: 'enabled',
        conditions: { users: { includeUsers: ['All'], excludeUsers: null }, clientAppTypes: null },
        grantControls: null,
      },
    ];
    expect(() => parseSnapshot(ok({ [GRAPH_KEYS.conditionalAccessPolicies]: p }), 'x')).not.toThrow();
  });
  it('strips a UTF-8 byte order mark', () => {
    expect(() => parseSnapshot('\ufeff' + ok({}), 'x')).not.toThrow();
  });
  it('validates 100,000 users quickly (fast path, no zod per user)', () => {
    const users = Array.from({ length: 100_000 }, (_, i) => ({
      id: `u${i}`,
      userPrincipalName: `u${i}@contoso.com`,
      userType: 'Member',
      accountEnabled: true,
    }));
    const s = parseSnapshot(ok({ 'v1.0/users': users }), 'x');
    expect((s.graph['v1.0/users'] as unknown[]).length).toBe(100_000);
  });
});

describe('parseSnapshot: evidence from Entra', () => {
  const row = { userId: 'u1', createdDateTime: '2026-11-01T00:00:00Z', status: { errorCode: 0 } };
  const win = { from: '2026-10-22T00:00:00Z', to: '2026-11-21T00:00:00Z', truncated: false, users: { u1: { mfa: 2 } } };
  it('accepts What If answers, sign-in rows, the window and the plan', () => {
    const graph = {
      [GRAPH_KEYS.conditionalAccessEvaluate]: [{ request: { a: 1 }, response: { value: [] } }],
      [GRAPH_KEYS.signIns]: [row],
      [GRAPH_KEYS.signInWindow]: win,
      [WHAT_IF_PLAN_KEY]: { spotChecks: 5 },
    };
    expect(() => parseSnapshot(ok(graph), 'x')).not.toThrow();
  });
  it('names the JSON path of a shape error', () => {
    expect(error(ok({ [GRAPH_KEYS.conditionalAccessEvaluate]: [{ request: {} }] }))).toBe(
      'snapshot tenant.json: graph["beta/identity/conditionalAccess/evaluate"][0].response: missing (expected object)',
    );
    expect(error(ok({ [GRAPH_KEYS.signIns]: [row, { ...row, userId: 7 }] }))).toBe(
      'snapshot tenant.json: graph["v1.0/auditLogs/signIns"][1].userId: expected string, received number',
    );
    expect(error(ok({ [GRAPH_KEYS.signInWindow]: { ...win, users: { u1: { mfa: -1 } } } }))).toBe(
      'snapshot tenant.json: graph["v1.0/auditLogs/signIns/$window"].users.u1.mfa: expected a count (an integer ≥ 0), received -1',
    );
    expect(error(ok({ [GRAPH_KEYS.signInWindow]: { to: 'x' } }))).toMatch(
      /\.from: expected string, received undefined/,
    );
    expect(error(ok({ [WHAT_IF_PLAN_KEY]: { spotChecks: 1.5 } }))).toMatch(/\$plan"\]\.spotChecks: /);
  });
});

describe('readSnapshot', () => {
  it('a missing file is an InputError naming the file', async () => {
    await expect(readSnapshot('/nonexistent/tenant.json')).rejects.toThrow(
      /snapshot \/nonexistent\/tenant\.json: cannot read \(file not found\)/,
    );
  });
  it('a directory is an InputError', async () => {
    await expect(readSnapshot(tmpdir())).rejects.toBeInstanceOf(InputError);
  });
  it('reads a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-snap-'));
    const file = join(dir, 's.json');
    writeFileSync(file, ok({}));
    expect((await readSnapshot(file)).tenantId).toBe('t');
  });
  it('the invalid fixture gets the one-line path message', async () => {
    await expect(readSnapshot('fixtures/tenants/invalid-user-id.json')).rejects.toThrow(
      'snapshot fixtures/tenants/invalid-user-id.json: graph["v1.0/users"][3].id: expected string, received number',
    );
  });
});

describe('parseSnapshot: the graph object itself', () => {
  const top = { format: 'mfa-audit-snapshot/1', tenantId: 't', collectedAt: '2026-11-21T00:00:00Z' };
  const message = (data: unknown): string => {
    try {
      parseSnapshot(JSON.stringify(data), 'x.json');
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as Error).message;
    }
    return 'no error';
  };
  it('names what the graph is when it is not an object, and reports the first problem in field order', () => {
    expect(message({ ...top, graph: [] })).toMatch(/graph.*expected record, received array/);
    expect(message({ ...top, graph: null })).toMatch(/graph.*expected record, received null/);
    expect(message({ ...top })).toMatch(/graph.*missing/);
    expect(message({ ...top, tenantId: 5, graph: { 'v1.0/users': [] } })).toMatch(/tenantId/);
    expect(message({ ...top, graph: { 'v1.0/users': [] }, collectionErrors: { k: 5 } })).toMatch(/collectionErrors/);
  });
});
