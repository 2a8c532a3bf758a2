/** The small pure pieces of live collection: Retry-After, backoff, --graph-url, token facts, permissions, settings. */
import { describe, expect, it } from 'vitest';
import { checkToken, readTokenFacts } from '../../src/graph/access-token.js';
import { shortPath } from '../../src/graph/client.js';
import { parseGraphUrl } from '../../src/graph/live.js';
import { areaOfKey, forbiddenReason, missingPermissions } from '../../src/graph/permissions.js';
import { isConditionalAccessUrl, newStats, Pacer, parseRetryAfter } from '../../src/graph/resilience.js';
import { DEFAULT_SETTINGS, settingsFromEnv } from '../../src/graph/settings.js';
import { CollectionError, UsageError } from '../../src/errors.js';
import { ALL_ROLES, graphToken } from './support.js';

const TENANT = '691d0d64-52fb-4de1-ae87-2e52cdd26449';
const NOW = new Date('2026-11-21T12:00:00Z');

describe('Retry-After and backoff', () => {
  it('reads delta-seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0')).toBe(0);
    const now = Date.parse('2026-11-21T12:00:00Z');
    expect(parseRetryAfter('Sat, 21 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('doubles the backoff per attempt, with jitter between half and all of it, capped', () => {
    const at = (random: number) => new Pacer(settingsFromEnv({}, { random: () => random }), newStats());
    expect([1, 2, 3, 4].map((n) => at(1).delayFor(n, undefined))).toEqual([1000, 2000, 4000, 8000]);
    expect(at(0).delayFor(1, undefined)).toBe(500);
    expect(at(1).delayFor(20, undefined)).toBe(DEFAULT_SETTINGS.maxDelayMs);
    expect(at(0.3).delayFor(2, 7000)).toBe(7000);
    expect(at(1).delayFor(1, 10_000_000)).toBe(DEFAULT_SETTINGS.maxRetryAfterMs);
  });

  it('scales every wait with MFA_AUDIT_RETRY_SCALE, and keeps real defaults otherwise', () => {
    expect(settingsFromEnv({}).scale).toBe(1);
    expect(settingsFromEnv({ MFA_AUDIT_RETRY_SCALE: '0.01' }).scale).toBe(0.01);
    expect(settingsFromEnv({ MFA_AUDIT_RETRY_SCALE: '7' }).scale).toBe(1);
    const scaled = new Pacer(settingsFromEnv({ MFA_AUDIT_RETRY_SCALE: '0.01' }, { random: () => 1 }), newStats());
    expect(scaled.delayFor(1, 3000)).toBe(30);
    expect(settingsFromEnv({ MFA_AUDIT_GRAPH_CONCURRENCY: '4', MFA_AUDIT_GRAPH_TIMEOUT_MS: '5000' })).toMatchObject({
      concurrency: 4,
      timeoutMs: 5000,
    });
  });

  it('knows the Conditional Access endpoints', () => {
    expect(isConditionalAccessUrl('https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies')).toBe(true);
    expect(
      isConditionalAccessUrl('https://graph.microsoft.com/v1.0/identity/conditionalAccess/namedLocations?$skiptoken=x'),
    ).toBe(true);
    expect(isConditionalAccessUrl('https://graph.microsoft.com/v1.0/users')).toBe(false);
  });

  it('names paths without host or query (skip tokens stay out of messages)', () => {
    expect(shortPath('https://graph.microsoft.com/v1.0/users?$top=999&$skiptoken=abc')).toBe('v1.0/users');
    expect(shortPath('v1.0/domains')).toBe('v1.0/domains');
  });
});

describe('--graph-url', () => {
  it('accepts https roots of national clouds and test servers', () => {
    expect(parseGraphUrl('https://graph.microsoft.us/')).toBe('https://graph.microsoft.us');
    expect(parseGraphUrl('https://127.0.0.1:8443')).toBe('https://127.0.0.1:8443');
  });
  it('refuses http, queries and non-URLs with a usage error', () => {
    expect(() => parseGraphUrl('http://graph.microsoft.com')).toThrow(UsageError);
    expect(() => parseGraphUrl('https://graph.microsoft.com/?x=1')).toThrow(UsageError);
    expect(() => parseGraphUrl('graph')).toThrow(UsageError);
  });
});

describe('token facts', () => {
  it('reads app-only roles and delegated scopes', () => {
    expect(readTokenFacts(graphToken({}, TENANT))).toMatchObject({
      kind: 'app-only',
      permissions: ALL_ROLES,
      tenantId: TENANT,
    });
    expect(
      readTokenFacts(graphToken({ idtyp: 'user', roles: undefined, scp: 'User.Read.All Policy.Read.All' }, TENANT)),
    ).toMatchObject({
      kind: 'delegated',
      permissions: ['User.Read.All', 'Policy.Read.All'],
    });
    expect(readTokenFacts('not-a-jwt')).toBeUndefined();
  });

  it('has no note for a token with every permission, and one naming what is missing otherwise', () => {
    expect(checkToken(readTokenFacts(graphToken({}, TENANT)), TENANT, NOW, 'T')).toEqual([]);
    const notes = checkToken(readTokenFacts(graphToken({ roles: ['Directory.Read.All'] }, TENANT)), TENANT, NOW, 'T');
    // Directory.Read.All reads users, groups, roles and domains, but neither policies, reports nor PIM eligibility.
    expect(notes[0]).toMatch(
      /lacks Policy\.Read\.All, AuditLog\.Read\.All, RoleManagement\.Read\.Directory in 'roles'/,
    );
    expect(checkToken(undefined, TENANT, NOW, 'T')[0]).toMatch(/not a JWT/);
  });

  it('refuses expired tokens and tokens of another tenant; a domain --tenant-id cannot be compared', () => {
    const expired = readTokenFacts(graphToken({ exp: Math.floor(NOW.getTime() / 1000) - 1 }, TENANT));
    expect(() => checkToken(expired, TENANT, NOW, 'T')).toThrow(CollectionError);
    const other = readTokenFacts(graphToken({}, '11111111-1111-1111-1111-111111111111'));
    expect(() => checkToken(other, TENANT, NOW, 'T')).toThrow(/issued for tenant/);
    expect(checkToken(other, 'contoso.onmicrosoft.com', NOW, 'T')).toEqual([]);
  });
});

describe('permissions', () => {
  it('maps every snapshot key to its permission', () => {
    expect(areaOfKey('v1.0/users')).toBe('users');
    expect(areaOfKey('v1.0/identity/conditionalAccess/namedLocations')).toBe('conditionalAccess');
    expect(areaOfKey('v1.0/groups/abc/transitiveMembers')).toBe('groups');
    expect(areaOfKey('v1.0/roleManagement/directory/roleAssignments')).toBe('roles');
    expect(areaOfKey('v1.0/reports/authenticationMethods/userRegistrationDetails')).toBe('registration');
    expect(areaOfKey('v1.0/domains/contoso.com/federationConfiguration')).toBe('domains');
    expect(areaOfKey('beta/users/abc/authentication/requirements')).toBe('perUserMfa');
    expect(areaOfKey('v1.0/policies/crossTenantAccessPolicy/default')).toBe('policies');
    expect(areaOfKey('beta/identity/conditionalAccess/policies')).toBe('conditionalAccess');
    expect(areaOfKey('v1.0/servicePrincipals')).toBe('applications');
    expect(areaOfKey('v1.0/roleManagement/directory/roleEligibilityScheduleInstances')).toBe('roleEligibility');
  });

  it('accepts broader permissions case-insensitively', () => {
    expect(missingPermissions(['directory.read.all', 'Policy.Read.All', 'AuditLog.Read.All'])).toEqual([
      'roleEligibility',
    ]);
    expect(
      missingPermissions([
        'directory.read.all',
        'Policy.Read.All',
        'AuditLog.Read.All',
        'rolemanagement.read.directory',
      ]),
    ).toEqual([]);
    expect(missingPermissions([])).toHaveLength(10);
    // Service principals: Application.Read.All or Directory.Read.All; eligibility: the PIM or role-management reads.
    expect(missingPermissions(['Application.Read.All'])).not.toContain('applications');
    expect(missingPermissions(['Directory.Read.All'])).not.toContain('applications');
    expect(missingPermissions(['RoleEligibilitySchedule.Read.Directory'])).not.toContain('roleEligibility');
    expect(missingPermissions(['Directory.Read.All'])).toContain('roleEligibility');
  });

  it('says in a 403 reason what to grant and what is lost, and the licence for reports', () => {
    expect(forbiddenReason('v1.0/domains')).toMatch(/Domain\.Read\.All.*federated/);
    expect(
      forbiddenReason(
        'v1.0/reports/authenticationMethods/userRegistrationDetails',
        'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
      ),
    ).toMatch(/P1 or P2/);
    expect(forbiddenReason('v1.0/servicePrincipals')).toMatch(
      /^403 Forbidden: needs the Graph permission Application\.Read\.All .*Office 365/,
    );
    expect(forbiddenReason('beta/identity/conditionalAccess/policies')).toMatch(/Policy\.Read\.All/);
    expect(forbiddenReason('v1.0/roleManagement/directory/roleEligibilityScheduleInstances')).toMatch(
      /RoleManagement\.Read\.Directory.*eligible \(PIM\)/,
    );
  });
});
