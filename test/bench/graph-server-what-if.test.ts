/**
 * The test Graph server's What If (POST /identity/conditionalAccess/evaluate): its independent evaluator on each
 * condition type (one small snapshot per case), appliedPoliciesOnly, the disagreement options, validation and 403.
 */
import { request } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGraphServer, type TestGraphServer } from '../helpers/graph-server.js';
import type { GraphServerOptions, WhatIfRequest } from '../../bench/graph-server.js';
import { APP_GROUPS } from '../../bench/what-if-evaluator.js';

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function call(
  server: TestGraphServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const url = new URL(path, server.url);
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: server.ca,
        headers: { authorization: 'Bearer test', 'content-type': 'application/json', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: raw ? JSON.parse(raw) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

const ADMIN_ROLE = '62e90394-69f5-4237-9190-012177145e10';
const ids = {
  member: '11111111-0000-0000-0000-000000000001',
  grouped: '11111111-0000-0000-0000-000000000002',
  admin: '11111111-0000-0000-0000-000000000003',
  adminByGroup: '11111111-0000-0000-0000-000000000004',
  guest: '11111111-0000-0000-0000-000000000005',
  group: '22222222-0000-0000-0000-000000000001',
  roleGroup: '22222222-0000-0000-0000-000000000002',
  hq: '33333333-0000-0000-0000-000000000001',
  countries: '33333333-0000-0000-0000-000000000002',
};
const SHAREPOINT = '00000003-0000-0ff1-ce00-000000000000';
const AZURE_PORTAL = 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c';
const OTHER_APP = '99999999-0000-0000-0000-000000000001';

const user = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  userPrincipalName: `${id}@example.test`,
  displayName: id,
  userType: 'Member',
  accountEnabled: true,
  creationType: null,
  externalUserState: null,
  ...extra,
});

function policy(id: string, conditions: Record<string, unknown>, state = 'enabled') {
  return {
    id,
    displayName: id,
    state,
    conditions: {
      users: {
        includeUsers: ['All'],
        excludeUsers: [],
        includeGroups: [],
        excludeGroups: [],
        includeRoles: [],
        excludeRoles: [],
      },
      applications: { includeApplications: ['All'], excludeApplications: [], includeUserActions: [] },
      clientAppTypes: ['all'],
      platforms: null,
      locations: null,
      signInRiskLevels: [],
      userRiskLevels: [],
      devices: null,
      authenticationFlows: null,
      ...conditions,
    },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  };
}

function tenant(policies: unknown[], key = 'v1.0/identity/conditionalAccess/policies'): GraphServerOptions['snapshot'] {
  return {
    graph: {
      'v1.0/users': [
        user(ids.member),
        user(ids.grouped),
        user(ids.admin),
        user(ids.adminByGroup),
        user(ids.guest, { userType: 'Guest', creationType: 'Invitation', externalUserState: 'Accepted' }),
      ],
      'v1.0/groups': [{ id: ids.group }, { id: ids.roleGroup }],
      [`v1.0/groups/${ids.group}/transitiveMembers`]: [{ '@odata.type': '#microsoft.graph.user', id: ids.grouped }],
      [`v1.0/groups/${ids.roleGroup}/transitiveMembers`]: [
        { '@odata.type': '#microsoft.graph.user', id: ids.adminByGroup },
      ],
      'v1.0/roleManagement/directory/roleAssignments': [
        { id: 'ra1', principalId: ids.admin, roleDefinitionId: ADMIN_ROLE, directoryScopeId: '/' },
        { id: 'ra2', principalId: ids.roleGroup, roleDefinitionId: ADMIN_ROLE, directoryScopeId: '/' },
        // Scoped to an administrative unit: does not count for Conditional Access.
        {
          id: 'ra3',
          principalId: ids.member,
          roleDefinitionId: ADMIN_ROLE,
          directoryScopeId: '/administrativeUnits/x',
        },
      ],
      'v1.0/identity/conditionalAccess/namedLocations': [
        {
          '@odata.type': '#microsoft.graph.ipNamedLocation',
          id: ids.hq,
          displayName: 'HQ',
          isTrusted: true,
          ipRanges: [
            { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' },
            { '@odata.type': '#microsoft.graph.iPv6CidrRange', cidrAddress: '2001:db8:1200::/48' },
          ],
        },
        {
          '@odata.type': '#microsoft.graph.countryNamedLocation',
          id: ids.countries,
          displayName: 'Benelux',
          countriesAndRegions: ['NL', 'BE'],
          includeUnknownCountriesAndRegions: false,
        },
      ],
      [key]: policies,
    },
  };
}

function signIn(
  userId: string,
  conditions: WhatIfRequest['signInConditions'] = {},
  apps: string[] = [SHAREPOINT],
  extra: Partial<WhatIfRequest> = {},
): WhatIfRequest {
  return {
    signInIdentity: { '@odata.type': '#microsoft.graph.userSignIn', userId },
    signInContext: { '@odata.type': '#microsoft.graph.applicationContext', includeApplications: apps },
    signInConditions: { clientAppType: 'browser', devicePlatform: 'windows', ...conditions },
    ...extra,
  };
}

let server: TestGraphServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(policies: unknown[], options: Partial<GraphServerOptions> = {}) {
  server = await startTestGraphServer({ snapshot: tenant(policies), ...options });
  return server;
}

/** policyApplies / analysisReasons of one policy for one sign-in. */
async function judge(s: TestGraphServer, body: WhatIfRequest, policyId = 'P') {
  const answer = await call(s, 'POST', '/beta/identity/conditionalAccess/evaluate', body);
  expect(answer.status).toBe(200);
  const result = answer.body.value.find((r: { id: string }) => r.id === policyId);
  return result ? `${result.policyApplies}:${result.analysisReasons}` : 'absent';
}

describe('What If evaluator, condition by condition', () => {
  it('users: all users, group exclusion, explicit exclusion; unknown users are plain members', async () => {
    const s = await serve([
      policy('P', {
        users: {
          includeUsers: ['All'],
          excludeUsers: [ids.admin],
          includeGroups: [],
          excludeGroups: [ids.group],
          includeRoles: [],
          excludeRoles: [],
        },
      }),
    ]);
    expect(await judge(s, signIn(ids.member))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.grouped))).toBe('false:users');
    expect(await judge(s, signIn(ids.admin))).toBe('false:users');
    expect(await judge(s, signIn('99999999-9999-9999-9999-999999999999'))).toBe('true:notSet');
  });

  it('users: roles count when assigned directly or through a group, at directory scope only', async () => {
    const s = await serve([
      policy('P', {
        users: {
          includeUsers: [],
          excludeUsers: [],
          includeGroups: [],
          excludeGroups: [],
          includeRoles: [ADMIN_ROLE],
          excludeRoles: [],
        },
      }),
    ]);
    expect(await judge(s, signIn(ids.admin))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.adminByGroup))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member))).toBe('false:users');
  });

  it('users: guests and external users by type and tenant', async () => {
    const guests = (externalTenants: unknown) => ({
      includeUsers: [],
      excludeUsers: [],
      includeGroups: [],
      excludeGroups: [],
      includeRoles: [],
      excludeRoles: [],
      includeGuestsOrExternalUsers: {
        guestOrExternalUserTypes: 'internalGuest,b2bCollaborationGuest',
        externalTenants,
      },
    });
    const s = await serve([
      policy('P', { users: guests({ membershipKind: 'all' }) }),
      policy('E', { users: guests({ membershipKind: 'enumerated', members: ['tenant-a'] }) }),
    ]);
    expect(await judge(s, signIn(ids.guest))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member))).toBe('false:users');
    // The request's externalUserType wins over what the user object suggests.
    const asDirectConnect = signIn(ids.guest);
    asDirectConnect.signInIdentity.externalUserType = 'b2bDirectConnectUser';
    expect(await judge(s, asDirectConnect)).toBe('false:users');
    expect(await judge(s, signIn(ids.guest), 'E')).toBe('false:users');
    const fromA = signIn(ids.guest);
    fromA.signInIdentity.externalTenantId = 'tenant-a';
    expect(await judge(s, fromA, 'E')).toBe('true:notSet');
  });

  it('applications: ids, the Office365 and MicrosoftAdminPortals groups, exclusions', async () => {
    const apps = (includeApplications: string[], excludeApplications: string[] = []) => ({
      applications: { includeApplications, excludeApplications, includeUserActions: [] },
    });
    const s = await serve([
      policy('P', apps(['Office365'])),
      policy('A', apps(['MicrosoftAdminPortals'])),
      policy('X', apps(['All'], [SHAREPOINT])),
      policy('N', apps(['None'])),
    ]);
    expect(APP_GROUPS.Office365).toContain(SHAREPOINT);
    expect(await judge(s, signIn(ids.member, {}, [SHAREPOINT]))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, {}, [AZURE_PORTAL]))).toBe('false:application');
    expect(await judge(s, signIn(ids.member, {}, [AZURE_PORTAL]), 'A')).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, {}, [SHAREPOINT]), 'X')).toBe('false:application');
    expect(await judge(s, signIn(ids.member, {}, [OTHER_APP]), 'X')).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, {}, [OTHER_APP]), 'N')).toBe('false:application');
  });

  it('user actions and authentication contexts', async () => {
    const s = await serve([
      policy('P', {
        applications: { includeApplications: [], includeUserActions: ['urn:user:registersecurityinfo'] },
      }),
      policy('C', {
        applications: { includeApplications: [], includeAuthenticationContextClassReferences: ['c1'] },
      }),
    ]);
    const register = signIn(ids.member, {}, [], {
      signInContext: { '@odata.type': '#microsoft.graph.userActionContext', userAction: 'registerSecurityInformation' },
    });
    expect(await judge(s, register)).toBe('true:notSet');
    // The reason is named after the kind of target the sign-in asks for.
    expect(await judge(s, register, 'C')).toBe('false:userActions');
    expect(await judge(s, signIn(ids.member))).toBe('false:application');
    const c1 = signIn(ids.member, {}, [], {
      signInContext: { '@odata.type': '#microsoft.graph.authContext', authenticationContextValue: 'c1' },
    });
    expect(await judge(s, c1, 'C')).toBe('true:notSet');
    expect(await judge(s, c1)).toBe('false:authenticationContext');
  });

  it('client apps, including easSupported', async () => {
    const s = await serve([
      policy('P', { clientAppTypes: ['exchangeActiveSync', 'other'] }),
      policy('S', { clientAppTypes: ['easSupported'] }),
    ]);
    expect(await judge(s, signIn(ids.member, { clientAppType: 'easSupported' }))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, { clientAppType: 'exchangeActiveSync' }))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, { clientAppType: 'other' }))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, { clientAppType: 'browser' }))).toBe('false:clientApps');
    expect(await judge(s, signIn(ids.member, { clientAppType: 'all' }))).toBe('false:clientApps');
    expect(await judge(s, signIn(ids.member, { clientAppType: 'exchangeActiveSync' }), 'S')).toBe('false:clientApps');
    expect(await judge(s, signIn(ids.member, { clientAppType: 'easSupported' }), 'S')).toBe('true:notSet');
  });

  it('device platforms (an unknown platform meets "all" but no specific platform)', async () => {
    const s = await serve([
      policy('P', { platforms: { includePlatforms: ['all'], excludePlatforms: ['iOS'] } }),
      policy('A', { platforms: { includePlatforms: ['android'], excludePlatforms: [] } }),
    ]);
    expect(await judge(s, signIn(ids.member, { devicePlatform: 'iOS' }))).toBe('false:devicePlatform');
    expect(await judge(s, signIn(ids.member, { devicePlatform: 'android' }))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, { devicePlatform: 'all' }))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, { devicePlatform: 'android' }), 'A')).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, { devicePlatform: 'all' }), 'A')).toBe('false:devicePlatform');
  });

  it('locations: IPv4 and IPv6 ranges, trusted locations, countries', async () => {
    const s = await serve([
      policy('P', { locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } }),
      policy('C', { locations: { includeLocations: [ids.countries], excludeLocations: [] } }),
    ]);
    expect(await judge(s, signIn(ids.member, { ipAddress: '203.0.113.7' }))).toBe('false:location');
    expect(await judge(s, signIn(ids.member, { ipAddress: '2001:db8:1200:5::1' }))).toBe('false:location');
    expect(await judge(s, signIn(ids.member, { ipAddress: '2001:db8:1300::1' }))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, { ipAddress: '192.0.2.1' }))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, {}))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, { country: 'NL' }), 'C')).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, { country: 'US' }), 'C')).toBe('false:location');
    expect(await judge(s, signIn(ids.member, {}), 'C')).toBe('false:location');
  });

  it('sign-in, user and insider risk (a missing level is none)', async () => {
    const s = await serve([
      policy('P', { signInRiskLevels: ['high'] }),
      policy('U', { userRiskLevels: ['medium', 'high'] }),
      policy('I', { insiderRiskLevels: 'elevated' }),
    ]);
    expect(await judge(s, signIn(ids.member, { signInRiskLevel: 'high' }))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, { signInRiskLevel: 'medium' }))).toBe('false:signInRisk');
    expect(await judge(s, signIn(ids.member, {}))).toBe('false:signInRisk');
    expect(await judge(s, signIn(ids.member, { userRiskLevel: 'medium' }), 'U')).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, { userRiskLevel: 'low' }), 'U')).toBe('false:userRisk');
    expect(await judge(s, signIn(ids.member, { insiderRiskLevel: 'elevated' }), 'I')).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, { insiderRiskLevel: 'minor' }), 'I')).toBe('false:insiderRisk');
  });

  it('devices: filters in exclude and include mode, invalid rules', async () => {
    const s = await serve([
      policy('P', { devices: { deviceFilter: { mode: 'exclude', rule: 'device.isCompliant -eq True' } } }),
      policy('H', {
        devices: {
          deviceFilter: { mode: 'include', rule: 'device.trustType -eq "ServerAD" -or device.trustType -eq "AzureAD"' },
        },
      }),
      policy('B', { devices: { deviceFilter: { mode: 'include', rule: 'device.isCompliant === true' } } }),
    ]);
    const compliant = { deviceInfo: { isCompliant: true, trustType: 'AzureAD' } };
    expect(await judge(s, signIn(ids.member, compliant))).toBe('false:devices');
    expect(await judge(s, signIn(ids.member, { deviceInfo: { isCompliant: false } }))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, {}))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, compliant), 'H')).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, { deviceInfo: { trustType: 'Workplace' } }), 'H')).toBe('false:devices');
    expect(await judge(s, signIn(ids.member, compliant), 'B')).toBe('false:invalidCondition');
  });

  it('authentication flows', async () => {
    const s = await serve([policy('P', { authenticationFlows: { transferMethods: 'deviceCodeFlow' } })]);
    expect(await judge(s, signIn(ids.member, { authenticationFlow: { transferMethod: 'deviceCodeFlow' } }))).toBe(
      'true:notSet',
    );
    expect(await judge(s, signIn(ids.member, {}))).toBe('false:authenticationFlow');
  });

  it('disabled policies do not apply; report-only ones are evaluated; the first failing condition is given', async () => {
    const s = await serve([
      policy('P', {}, 'disabled'),
      policy('R', {}, 'enabledForReportingButNotEnforced'),
      policy('F', { clientAppTypes: ['other'], signInRiskLevels: ['high'] }),
    ]);
    expect(await judge(s, signIn(ids.member))).toBe('false:policyNotEnabled');
    expect(await judge(s, signIn(ids.member), 'R')).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member), 'F')).toBe('false:clientApps');
  });
});

describe('What If answers', () => {
  it("answers with Graph's shape, beta policies when served, and honours appliedPoliciesOnly", async () => {
    const snapshot = tenant(
      [policy('B1', {}), policy('B2', { clientAppTypes: ['other'] })],
      'beta/identity/conditionalAccess/policies',
    );
    snapshot.graph['v1.0/identity/conditionalAccess/policies'] = [policy('V1', {})];
    server = await startTestGraphServer({ snapshot });
    const all = await call(server, 'POST', '/v1.0/identity/conditionalAccess/evaluate', signIn(ids.member));
    expect(all.status).toBe(200);
    expect(all.body['@odata.context']).toMatch(
      /\/v1\.0\/\$metadata#Collection\(microsoft\.graph\.whatIfAnalysisResult\)$/,
    );
    expect(all.body.value.map((r: { id: string }) => r.id)).toEqual(['B1', 'B2']);
    expect(all.body.value[0]).toMatchObject({
      displayName: 'B1',
      state: 'enabled',
      policyApplies: true,
      analysisReasons: 'notSet',
    });
    expect(all.body.value[0].grantControls.builtInControls).toEqual(['mfa']);
    const applied = await call(server, 'POST', '/beta/identity/conditionalAccess/evaluate', {
      ...signIn(ids.member),
      appliedPoliciesOnly: true,
    });
    expect(applied.body.value.map((r: { id: string }) => r.id)).toEqual(['B1']);
  });

  it('hides the linux platform as unknownFutureValue unless asked to include unknown enum members', async () => {
    const s = await serve([policy('P', { platforms: { includePlatforms: ['linux'], excludePlatforms: [] } })]);
    const plain = await call(
      s,
      'POST',
      '/beta/identity/conditionalAccess/evaluate',
      signIn(ids.member, { devicePlatform: 'linux' }),
    );
    expect(plain.body.value[0].conditions.platforms.includePlatforms).toEqual(['unknownFutureValue']);
    expect(plain.body.value[0].policyApplies).toBe(true);
    const told = await call(s, 'POST', '/beta/identity/conditionalAccess/evaluate', signIn(ids.member), {
      prefer: 'include-unknown-enum-members',
    });
    expect(told.body.value[0].conditions.platforms.includePlatforms).toEqual(['linux']);
  });

  it('disagrees on purpose for chosen sign-ins (disagree, overrides) and records every request', async () => {
    const s = await serve([policy('P', { clientAppTypes: ['browser'] }), policy('Q', {})], {
      whatIf: {
        disagree: (r) => (r.signInIdentity.userId === ids.grouped ? ['P'] : false),
        overrides: [
          { policyId: 'Q', applies: false, reason: 'location', when: (r) => r.signInConditions?.country === 'FR' },
        ],
      },
    });
    // Claim the MFA policy applies where it does not (a mobile client), for one user only.
    expect(await judge(s, signIn(ids.grouped, { clientAppType: 'mobileAppsAndDesktopClients' }))).toBe('true:notSet');
    expect(await judge(s, signIn(ids.member, { clientAppType: 'mobileAppsAndDesktopClients' }))).toBe(
      'false:clientApps',
    );
    expect(await judge(s, signIn(ids.grouped, { clientAppType: 'browser' }))).toBe('false:users');
    expect(await judge(s, signIn(ids.member, { country: 'FR' }), 'Q')).toBe('false:location');
    expect(await judge(s, signIn(ids.member, { country: 'NL' }), 'Q')).toBe('true:notSet');
    expect(s.stats.whatIf.requests).toBe(5);
    expect(s.stats.whatIf.bodies[0]).toEqual(signIn(ids.grouped, { clientAppType: 'mobileAppsAndDesktopClients' }));
    const all = await serveAgain([policy('P', {})], { whatIf: { disagree: () => true } });
    expect(await judge(all, signIn(ids.member))).toBe('false:users');
  });

  async function serveAgain(policies: unknown[], options: Partial<GraphServerOptions>) {
    await server?.close();
    return serve(policies, options);
  }

  it('validates the body as Graph does (400 with its error shape)', async () => {
    const s = await serve([policy('P', {})]);
    const path = '/beta/identity/conditionalAccess/evaluate';
    const { signInIdentity, signInContext, signInConditions } = signIn(ids.member);
    const noIdentity = await call(s, 'POST', path, { signInContext, signInConditions });
    expect(noIdentity.status).toBe(400);
    expect(noIdentity.body.error).toMatchObject({
      code: 'BadRequest',
      message: expect.stringContaining('signInIdentity'),
    });
    expect(noIdentity.body.error.innerError).toBeDefined();
    const noContext = await call(s, 'POST', path, { signInIdentity, signInConditions });
    expect(noContext.status).toBe(400);
    expect(noContext.body.error.message).toContain('signInContext');
    expect((await call(s, 'POST', path, '{not json')).status).toBe(400);
    expect((await call(s, 'POST', path, signIn(ids.member, { clientAppType: 'fax' }))).status).toBe(400);
    expect((await call(s, 'POST', path, signIn(ids.member, { ipAddress: '999.1.1.1' }))).status).toBe(400);
    expect((await call(s, 'POST', path, { ...signIn(ids.member), appliedPoliciesOnly: 'yes' })).status).toBe(400);
    // Graph's documented defaults: signInConditions may be left out.
    expect((await call(s, 'POST', path, { signInIdentity, signInContext })).status).toBe(200);
    expect((await call(s, 'GET', path)).status).toBe(405);
  });

  it('answers 403 without the permission, and through injected faults', async () => {
    const s = await serve([policy('P', {})], { whatIf: { error: 'forbidden' } });
    const denied = await call(s, 'POST', '/beta/identity/conditionalAccess/evaluate', signIn(ids.member));
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('Authorization_RequestDenied');
    const t = await serveAgain([policy('P', {})], {
      faults: [{ path: '/beta/identity/conditionalAccess/evaluate', kind: 'status', status: 429, retryAfter: 1 }],
    });
    expect((await call(t, 'POST', '/beta/identity/conditionalAccess/evaluate', signIn(ids.member))).status).toBe(429);
    expect((await call(t, 'POST', '/beta/identity/conditionalAccess/evaluate', signIn(ids.member))).status).toBe(200);
    expect(t.stats.whatIf.requests).toBe(1);
  });

  it('evaluates inside a $batch', async () => {
    const s = await serve([policy('P', { clientAppTypes: ['browser'] })]);
    const answer = await call(s, 'POST', '/beta/$batch', {
      requests: [
        {
          id: '1',
          method: 'POST',
          url: '/identity/conditionalAccess/evaluate',
          headers: { 'Content-Type': 'application/json' },
          body: signIn(ids.member),
        },
        {
          id: '2',
          method: 'POST',
          url: '/identity/conditionalAccess/evaluate',
          headers: { 'Content-Type': 'application/json' },
          body: signIn(ids.member, { clientAppType: 'other' }),
        },
      ],
    });
    expect(answer.status).toBe(200);
    const byId = new Map(answer.body.responses.map((r: { id: string; body: unknown }) => [r.id, r.body]));
    expect((byId.get('1') as { value: { policyApplies: boolean }[] }).value[0]!.policyApplies).toBe(true);
    expect((byId.get('2') as { value: { analysisReasons: string }[] }).value[0]!.analysisReasons).toBe('clientApps');
    expect(s.stats.whatIf.requests).toBe(2);
  });
});
