/**
 * Red team: snapshots in real Graph shapes built to make a non-compliant account come out `pass`.
 * Each case asserts the verdict docs/evaluation.md demands (a `fail` with a gap, or `unknown` with a reason) — never `pass`.
 */
import { describe, expect, it } from 'vitest';
import type * as G from '@microsoft/microsoft-graph-types';
import { GRAPH_KEYS, perUserMfaKey } from '../../../src/core/snapshot.js';
import type { AccountResult } from '../../../src/core/tenant/types.js';
import { buildDirectory } from '../../../src/core/tenant/directory.js';
import { compileSignatures, normalisePolicies } from '../../../src/core/tenant/policy.js';
import { applicabilityOf } from './reference.js';
import { classify } from '../../../src/core/tenant/classify.js';
import {
  account,
  ALICE,
  audit,
  BOB,
  complete,
  ipLocation,
  members,
  MFA_ALL,
  policy,
  user,
  users,
  verdictOf,
} from './build.js';

const BLOCK = { operator: 'OR', builtInControls: ['block'] } satisfies G.ConditionalAccessGrantControls;
const BLOCK_LEGACY = policy({
  id: 'p-legacy',
  name: 'Block legacy',
  grant: BLOCK,
  conditions: { clientAppTypes: ['exchangeActiveSync', 'other'] },
});
const GA = '62e90394-69f5-4237-9190-012177145e10';

/** Never pass; and when a verdict is given, exactly that one, with a gap (fail) or a reason (unknown). */
function notPass(a: AccountResult, verdict?: 'fail' | 'unknown'): void {
  expect(a.verdict).not.toBe('pass');
  expect(a.verdict).not.toBe('exempt');
  if (verdict) expect(a.verdict).toBe(verdict);
  if (a.verdict === 'fail') expect(a.gaps.length).toBeGreaterThan(0);
  if (a.verdict === 'unknown') expect(a.reasons.join(' ').length).toBeGreaterThan(0);
}

describe('policy states and grants that do not enforce MFA', () => {
  it('report-only MFA policy (enabledForReportingButNotEnforced) beside a report-only block', () => {
    notPass(
      verdictOf([
        policy({ id: 'p1', state: 'enabledForReportingButNotEnforced' }),
        policy({ id: 'p2', state: 'enabledForReportingButNotEnforced', grant: BLOCK }),
      ]),
      'fail',
    );
  });
  it('a state value in another case ("Enabled") or a future state is not enforcement', () => {
    notPass(verdictOf([policy({ id: 'p', state: 'Enabled' as G.ConditionalAccessPolicyState })]), 'fail');
    notPass(verdictOf([policy({ id: 'p', state: 'unknownFutureValue' as G.ConditionalAccessPolicyState })]), 'fail');
  });
  it.each([
    'compliantDevice',
    'domainJoinedDevice',
    'approvedApplication',
    'compliantApplication',
    'passwordChange',
    'unknownFutureValue',
    'verifiedID',
  ])('mfa OR %s', (c) => {
    // A control mfa-audit does not model may be MFA: never pass, and no proven gap either.
    notPass(
      verdictOf([
        policy({ id: 'p', grant: { operator: 'OR', builtInControls: ['mfa', c as G.ConditionalAccessGrantControl] } }),
      ]),
      ['unknownFutureValue', 'verifiedID'].includes(c) ? 'unknown' : 'fail',
    );
  });
  it('mfa OR terms of use; mfa OR a custom control', () => {
    notPass(
      verdictOf([policy({ id: 'p', grant: { operator: 'OR', builtInControls: ['mfa'], termsOfUse: ['tou-1'] } })]),
      'fail',
    );
    notPass(
      verdictOf([
        policy({ id: 'p', grant: { operator: 'OR', builtInControls: ['mfa'], customAuthenticationFactors: ['Duo'] } }),
      ]),
      'fail',
    );
  });
  it('an operator in lower case is not modelled (unknown); a missing one is read as OR (the weaker reading)', () => {
    notPass(
      verdictOf([policy({ id: 'p', grant: { operator: 'and', builtInControls: ['mfa', 'compliantDevice'] } })]),
      'unknown',
    );
    notPass(verdictOf([policy({ id: 'p', grant: { builtInControls: ['mfa', 'compliantDevice'] } })]), 'fail');
  });
  it('session-only policies (grantControls null) beside nothing else', () => {
    const session = policy({ id: 'p', grant: null });
    (session as { sessionControls: unknown }).sessionControls = {
      signInFrequency: {
        isEnabled: true,
        frequencyInterval: 'everyTime',
        authenticationType: 'primaryAndSecondaryAuthentication',
      },
    };
    notPass(verdictOf([session]), 'fail');
  });
  it('an empty builtInControls with operator AND requires nothing', () => {
    notPass(verdictOf([policy({ id: 'p', grant: { operator: 'AND', builtInControls: [] } })]), 'fail');
  });
});

describe('authentication strengths that allow a single factor', () => {
  const strengthPolicy = (id: string, combos: string[] | null, extra: Record<string, unknown> = {}) => ({
    id,
    displayName: `strength ${id}`,
    policyType: 'custom',
    requirementsSatisfied: 'mfa',
    allowedCombinations: combos,
    ...extra,
  });
  const withStrength = (id: string, list: unknown[] | undefined, inline: Record<string, unknown> = { id }) =>
    verdictOf([policy({ id: 'p', grant: { operator: 'OR', builtInControls: [], authenticationStrength: inline } })], {
      [GRAPH_KEYS.authenticationStrengthPolicies]: list,
    });
  it.each([
    ['sms'],
    ['federatedSingleFactor'],
    ['password'],
    ['email'],
    ['voice'],
    ['x509CertificateSingleFactor'],
    ['password,password'],
  ])('a custom strength allowing %s alone', (combo) => {
    notPass(withStrength('s1', [strengthPolicy('s1', ['fido2', combo])]), 'fail');
  });
  it('a custom strength with an unknown future method', () => {
    notPass(withStrength('s1', [strengthPolicy('s1', ['unknownFutureValue'])]), 'unknown');
    notPass(withStrength('s1', [strengthPolicy('s1', ['passkeyFromTheFuture'])]), 'unknown');
    // Beside a known single-factor combination the gap exists either way.
    notPass(withStrength('s1', [strengthPolicy('s1', ['passkeyFromTheFuture', 'sms'])]), 'fail');
  });
  it('a collected strength whose allowedCombinations are empty or null cannot be MFA-only: unknown', () => {
    notPass(withStrength('s1', [strengthPolicy('s1', [])]), 'unknown');
    notPass(withStrength('s1', [strengthPolicy('s1', null)]), 'unknown');
  });
  it('an inline strength (policy list) with no combinations, not in the collected list: unknown', () => {
    notPass(withStrength('s9', [], { id: 's9', displayName: 'x', allowedCombinations: [] }), 'unknown');
    notPass(withStrength('s9', undefined, { id: 's9' }), 'unknown');
  });
  it('a strength whose requirementsSatisfied is not mfa is not MFA, whatever its combinations say', () => {
    notPass(withStrength('s1', [strengthPolicy('s1', ['password,sms'], { requirementsSatisfied: 'none' })]), 'fail');
    notPass(
      withStrength('s1', [strengthPolicy('s1', ['password,sms'], { requirementsSatisfied: 'unknownFutureValue' })]),
      'unknown',
    );
    // The inline copy in the policy list carries it too.
    notPass(
      withStrength('s9', undefined, { id: 's9', allowedCombinations: ['fido2'], requirementsSatisfied: 'none' }),
      'fail',
    );
    expect(withStrength('s1', [strengthPolicy('s1', ['password,sms'])]).verdict).toBe('pass');
  });
  it('a tenant list that redefines a built-in id with a single factor wins over the built-in table', () => {
    notPass(
      withStrength('00000000-0000-0000-0000-000000000002', [
        strengthPolicy('00000000-0000-0000-0000-000000000002', ['password']),
      ]),
      'fail',
    );
  });
});

describe('unknown future enum values never count', () => {
  it('includePlatforms with a future value only', () => {
    notPass(
      verdictOf([
        policy({
          id: 'p',
          conditions: { platforms: { includePlatforms: ['unknownFutureValue'], excludePlatforms: [] } },
        }),
      ]),
      'unknown',
    );
  });
  it('clientAppTypes with a future value only', () => {
    notPass(verdictOf([policy({ id: 'p', conditions: { clientAppTypes: ['unknownFutureValue'] } })]), 'unknown');
  });
  it('risk levels hidden / unknownFutureValue only', () => {
    notPass(verdictOf([policy({ id: 'p', conditions: { signInRiskLevels: ['hidden'] } })]), 'unknown');
    notPass(verdictOf([policy({ id: 'p', conditions: { userRiskLevels: ['unknownFutureValue'] } })]), 'unknown');
  });
  it('an exclusion of a future guest type may exclude a guest: unknown, not pass', () => {
    const guest = user('00000000-0000-0000-0000-0000000000e1', 'eve_fabrikam.com#EXT#@contoso.onmicrosoft.com', {
      userType: 'Guest',
      externalUserState: 'Accepted',
      creationType: 'Invitation',
    });
    const p = policy({
      id: 'p',
      users: users({
        includeUsers: ['All'],
        excludeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: 'unknownFutureValue',
        } as unknown as G.ConditionalAccessGuestsOrExternalUsers,
      }),
    });
    notPass(verdictOf([p, BLOCK_LEGACY], {}, guest), 'unknown');
    // A member is not a guest type at all: the same policy covers it.
    expect(verdictOf([p, BLOCK_LEGACY]).verdict).toBe('pass');
  });
  it('a future transfer method or device filter mode never widens coverage', () => {
    notPass(
      verdictOf([
        policy({
          id: 'p',
          conditions: {
            authenticationFlows: {
              transferMethods: 'unknownFutureValue',
            } as unknown as G.ConditionalAccessAuthenticationFlows,
          },
        }),
      ]),
      'unknown',
    );
    notPass(
      verdictOf([
        policy({
          id: 'p',
          conditions: {
            devices: { deviceFilter: { mode: 'unknownFutureValue' as 'include', rule: 'device.isCompliant -eq True' } },
          },
        }),
      ]),
    );
  });
});

describe('who a policy targets', () => {
  const b2bGuest = user('00000000-0000-0000-0000-0000000000e1', 'eve_fabrikam.com#EXT#@contoso.onmicrosoft.com', {
    userType: 'Guest',
    externalUserState: 'Accepted',
    creationType: 'Invitation',
  });
  it('excludeUsers GuestsOrExternalUsers opens every guest', () => {
    notPass(
      verdictOf(
        [
          policy({ id: 'p', users: users({ includeUsers: ['All'], excludeUsers: ['GuestsOrExternalUsers'] }) }),
          BLOCK_LEGACY,
        ],
        {},
        b2bGuest,
      ),
      'fail',
    );
  });
  it('guests included only for enumerated external tenants: unknown (home tenant not visible)', () => {
    const p = policy({
      id: 'p',
      users: users({
        includeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: 'b2bCollaborationGuest,b2bCollaborationMember',
          externalTenants: {
            '@odata.type': '#microsoft.graph.conditionalAccessEnumeratedExternalTenants',
            membershipKind: 'enumerated',
            members: ['3f0a0f6c-0000-4000-8000-000000000001'],
          },
        } as unknown as G.ConditionalAccessGuestsOrExternalUsers,
      }),
    });
    notPass(verdictOf([p, BLOCK_LEGACY], {}, b2bGuest), 'unknown');
  });
  it('an excluded role held through a role-assignable group', () => {
    const p = policy({ id: 'p', users: users({ includeUsers: ['All'], excludeRoles: [GA] }) });
    const a = verdictOf([p, BLOCK_LEGACY], {
      ...members('g-admins', ALICE),
      [GRAPH_KEYS.roleAssignments]: [
        {
          id: 'ra',
          principalId: 'g-admins',
          roleDefinitionId: GA,
          directoryScopeId: '/',
          principal: { '@odata.type': '#microsoft.graph.group', id: 'g-admins' },
        },
      ],
    });
    notPass(a, 'fail');
    expect(a.gaps[0]!.description).toContain('Global Administrator');
  });
  it('an excluded role assigned to a group whose members were not collected: unknown', () => {
    const p = policy({ id: 'p', users: users({ includeUsers: ['All'], excludeRoles: [GA] }) });
    notPass(
      verdictOf([p, BLOCK_LEGACY], {
        [GRAPH_KEYS.roleAssignments]: [
          { id: 'ra', principalId: 'g-admins', roleDefinitionId: GA, directoryScopeId: '/' },
        ],
      }),
      'unknown',
    );
  });
  it('nested groups: a user two levels down an excluded group (transitive members list) is excluded', () => {
    const p = policy({ id: 'p', users: users({ includeUsers: ['All'], excludeGroups: ['g-outer'] }) });
    const a = verdictOf([p, BLOCK_LEGACY], {
      'v1.0/groups/g-outer/transitiveMembers': [
        { '@odata.type': '#microsoft.graph.group', id: 'g-inner', displayName: 'Inner' },
        { '@odata.type': '#microsoft.graph.user', id: ALICE.id },
      ],
    });
    notPass(a, 'fail');
  });
  it('an excluded group whose transitiveMembers key is absent: unknown', () => {
    notPass(
      verdictOf([
        policy({ id: 'p', users: users({ includeUsers: ['All'], excludeGroups: ['g-missing'] }) }),
        BLOCK_LEGACY,
      ]),
      'unknown',
    );
  });
  it('an excluded group whose transitiveMembers key is null (collection failed): unknown', () => {
    notPass(
      verdictOf(
        [policy({ id: 'p', users: users({ includeUsers: ['All'], excludeGroups: ['g-missing'] }) }), BLOCK_LEGACY],
        { 'v1.0/groups/g-missing/transitiveMembers': null },
      ),
      'unknown',
    );
  });
  it('included only through a group whose members were not collected: unknown, never pass', () => {
    notPass(verdictOf([policy({ id: 'p', users: users({ includeGroups: ['g-missing'] }) }), BLOCK_LEGACY]), 'unknown');
  });
  it('ids in another case (GUIDs compare without case in Entra): exclusions of a user, a group, a role still exclude', () => {
    const u = user('00000000-0000-0000-0000-00000000ab1c', 'ab@contoso.com');
    const up = (id: string) => id.toUpperCase();
    notPass(
      verdictOf(
        [policy({ id: 'p', users: users({ includeUsers: ['All'], excludeUsers: [up(u.id!)] }) }), BLOCK_LEGACY],
        {},
        u,
      ),
      'fail',
    );
    notPass(
      verdictOf(
        [policy({ id: 'p', users: users({ includeUsers: ['All'], excludeGroups: ['G-EX'] }) }), BLOCK_LEGACY],
        members('g-ex', u),
        u,
      ),
      'fail',
    );
    notPass(
      verdictOf(
        [policy({ id: 'p', users: users({ includeUsers: ['All'], excludeRoles: [up(GA)] }) }), BLOCK_LEGACY],
        {
          [GRAPH_KEYS.roleAssignments]: [{ id: 'ra', principalId: u.id, roleDefinitionId: GA, directoryScopeId: '/' }],
        },
        u,
      ),
      'fail',
    );
    notPass(
      verdictOf(
        [policy({ id: 'p', users: users({ includeUsers: ['All'], excludeRoles: [GA] }) }), BLOCK_LEGACY],
        {
          [GRAPH_KEYS.roleAssignments]: [
            { id: 'ra', principalId: u.id, roleDefinitionId: up(GA), directoryScopeId: '/' },
          ],
        },
        u,
      ),
      'fail',
    );
  });
  it('includeUsers None beside excludeUsers nothing: nobody covered', () => {
    notPass(verdictOf([policy({ id: 'p', users: users({ includeUsers: ['None'] }) })]), 'fail');
  });
});

describe('which sign-ins a policy covers', () => {
  it('includeApplications one app only: any other app is open', () => {
    notPass(
      verdictOf([
        policy({
          id: 'p',
          applications: { includeApplications: ['00000003-0000-0000-c000-000000000000'], excludeApplications: [] },
        }),
        BLOCK_LEGACY,
      ]),
      'fail',
    );
  });
  it('include All, exclude Office365: Office 365 is open', () => {
    const a = verdictOf([
      policy({ id: 'p', applications: { includeApplications: ['All'], excludeApplications: ['Office365'] } }),
      BLOCK_LEGACY,
    ]);
    notPass(a, 'fail');
    expect(a.gaps[0]!.example!.application.office365).toBe(true);
  });
  it('platforms: every named platform but not all — unrecognised platforms are open', () => {
    const a = verdictOf([
      policy({
        id: 'p',
        conditions: {
          platforms: {
            includePlatforms: ['android', 'iOS', 'windows', 'windowsPhone', 'macOS', 'linux'],
            excludePlatforms: [],
          },
        },
      }),
      BLOCK_LEGACY,
    ]);
    notPass(a, 'fail');
    expect(a.gaps[0]!.example!.platform).toBe('unknown');
  });
  it('platforms: all except linux; all except a future platform', () => {
    notPass(
      verdictOf([
        policy({ id: 'p', conditions: { platforms: { includePlatforms: ['all'], excludePlatforms: ['linux'] } } }),
        BLOCK_LEGACY,
      ]),
      'fail',
    );
    // Graph sends linux as unknownFutureValue unless asked for newer members: it may exclude any platform.
    const a = verdictOf([
      policy({
        id: 'p',
        conditions: { platforms: { includePlatforms: ['all'], excludePlatforms: ['unknownFutureValue'] } },
      }),
      BLOCK_LEGACY,
    ]);
    notPass(a, 'unknown');
    expect(a.reasons.join(' ')).toContain('conditions.platforms.excludePlatforms');
  });
  it('client app types browser + mobile/desktop only: legacy clients are open', () => {
    const a = verdictOf([
      policy({ id: 'p', conditions: { clientAppTypes: ['browser', 'mobileAppsAndDesktopClients'] } }),
    ]);
    notPass(a, 'fail');
    expect(['exchangeActiveSync', 'other']).toContain(a.gaps[0]!.example!.clientAppType);
  });
  it('locations: include one named location only — anywhere else is open', () => {
    const loc = ipLocation('loc-hq', 'HQ', '203.0.113.0/24', false);
    notPass(
      verdictOf(
        [
          policy({ id: 'p', conditions: { locations: { includeLocations: ['loc-hq'], excludeLocations: [] } } }),
          BLOCK_LEGACY,
        ],
        { [GRAPH_KEYS.namedLocations]: [loc] },
      ),
      'fail',
    );
  });
  it('country location without unknown countries: a sign-in from an unknown country is outside it', () => {
    const country = {
      '@odata.type': '#microsoft.graph.countryNamedLocation',
      id: 'loc-c',
      displayName: 'Allowed',
      countriesAndRegions: ['US', 'CA'],
      includeUnknownCountriesAndRegions: false,
      countryLookupMethod: 'clientIpAddress',
    };
    const a = verdictOf(
      [
        policy({ id: 'p', conditions: { locations: { includeLocations: ['loc-c'], excludeLocations: [] } } }),
        BLOCK_LEGACY,
      ],
      { [GRAPH_KEYS.namedLocations]: [country] },
    );
    notPass(a, 'fail');
    expect(a.gaps[0]!.example!.locations).toEqual([]);
  });
  it('a sign-in-risk-only MFA policy leaves no-risk sign-ins open', () => {
    const a = verdictOf([
      policy({ id: 'p', conditions: { signInRiskLevels: ['low', 'medium', 'high'] } }),
      BLOCK_LEGACY,
    ]);
    notPass(a, 'fail');
    expect(a.gaps[0]!.example!.signInRisk).toBe('none');
  });
  it('device filter in include mode leaves non-matching devices open', () => {
    notPass(
      verdictOf([
        policy({
          id: 'p',
          conditions: { devices: { deviceFilter: { mode: 'include', rule: 'device.trustType -ne "ServerAD"' } } },
        }),
        BLOCK_LEGACY,
      ]),
      'fail',
    );
  });
  it('authentication flows only', () => {
    notPass(
      verdictOf([
        policy({
          id: 'p',
          conditions: {
            authenticationFlows: {
              transferMethods: 'deviceCodeFlow,authenticationTransfer',
            } as unknown as G.ConditionalAccessAuthenticationFlows,
          },
        }),
        BLOCK_LEGACY,
      ]),
      'fail',
    );
  });
  it('a user-action-only policy (registerSecurityInformation) is not a sign-in policy', () => {
    notPass(
      verdictOf([
        policy({
          id: 'p',
          applications: {
            includeApplications: [],
            excludeApplications: [],
            includeUserActions: ['urn:user:registersecurityinfo'],
          },
        }),
        BLOCK_LEGACY,
      ]),
      'fail',
    );
  });
  it('an authentication-context-only policy is not a sign-in policy', () => {
    notPass(
      verdictOf([
        policy({
          id: 'p',
          applications: {
            includeApplications: [],
            excludeApplications: [],
            includeAuthenticationContextClassReferences: ['c1'],
          },
        }),
        BLOCK_LEGACY,
      ]),
      'fail',
    );
  });
  it('a policy without an applications condition applies to nothing', () => {
    const p = policy({ id: 'p' });
    delete (p.conditions as Record<string, unknown>).applications;
    notPass(verdictOf([p, BLOCK_LEGACY]), 'fail');
  });
});

describe('named locations nested deeper than a few levels', () => {
  it('thirty nested ranges stay fast (no subset explosion)', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      ipLocation(`n-${String(i).padStart(2, '0')}`, `N${i}`, `10.0.0.0/${i + 2}`, false),
    );
    const ps = many.map((l, i) =>
      policy({ id: `q${i}`, conditions: { locations: { includeLocations: ['All'], excludeLocations: [l.id!] } } }),
    );
    notPass(verdictOf([...ps, BLOCK_LEGACY], { [GRAPH_KEYS.namedLocations]: many }), 'fail');
  });
  // Five nested IP ranges, each named; the MFA policy excludes the innermost. A sign-in from the innermost range lies
  // in all five locations at once: that context must exist, or the exclusion is invisible.
  const ranges = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.0/26', '10.1.2.3/32'];
  const locs = ranges.map((r, i) => ipLocation(`loc-${i}`, `L${i}`, r, false));
  const others = policy({
    id: 'p-other',
    name: 'MFA for Bob inside the corporate ranges',
    users: users({ includeUsers: [BOB.id!] }),
    conditions: { locations: { includeLocations: locs.slice(0, 4).map((l) => l.id!), excludeLocations: [] } },
  });
  it('an exclusion of the innermost of five nested ranges is a gap', () => {
    const p = policy({
      id: 'p',
      conditions: { locations: { includeLocations: ['All'], excludeLocations: ['loc-4'] } },
    });
    const a = verdictOf([p, others, BLOCK_LEGACY], { [GRAPH_KEYS.namedLocations]: locs });
    notPass(a, 'fail');
    expect(a.gaps[0]!.example!.locations).toEqual(['loc-0', 'loc-1', 'loc-2', 'loc-3', 'loc-4']);
  });
  it('six overlapping ranges each excluded by a different policy', () => {
    const ps = locs.map((l, i) =>
      policy({ id: `p${i}`, conditions: { locations: { includeLocations: ['All'], excludeLocations: [l.id!] } } }),
    );
    const six = [...locs, ipLocation('loc-5', 'L5', '10.1.2.3/32', false)];
    ps.push(
      policy({ id: 'p5', conditions: { locations: { includeLocations: ['All'], excludeLocations: ['loc-5'] } } }),
    );
    notPass(verdictOf([...ps, BLOCK_LEGACY], { [GRAPH_KEYS.namedLocations]: six }), 'fail');
  });
});

describe('mechanisms outside Conditional Access', () => {
  it('security defaults isEnabled null or absent is not "on"', () => {
    notPass(verdictOf([], { [GRAPH_KEYS.securityDefaults]: { id: 'x', isEnabled: null } }));
    notPass(verdictOf([], { [GRAPH_KEYS.securityDefaults]: { id: 'x' } }));
    notPass(verdictOf([], { [GRAPH_KEYS.securityDefaults]: { isEnabled: 'true' } }));
  });
  it('security defaults of unknown state with no enabled policy: unknown, not fail', () => {
    const a = verdictOf([], { [GRAPH_KEYS.securityDefaults]: { id: 'x', isEnabled: null } });
    notPass(a, 'unknown');
    expect(a.reasons.join(' ')).toContain('isEnabled is null');
  });
  it('per-user MFA disabled, missing, in another case, or an unknown value', () => {
    notPass(verdictOf([], { [perUserMfaKey(ALICE.id!)]: { perUserMfaState: 'disabled' } }), 'fail');
    notPass(verdictOf([], { [perUserMfaKey(ALICE.id!)]: undefined }), 'unknown');
    notPass(verdictOf([], { [perUserMfaKey(ALICE.id!)]: {} }), 'unknown');
    notPass(verdictOf([], { [perUserMfaKey(ALICE.id!)]: { perUserMfaState: 'unknownFutureValue' } }), 'unknown');
  });
  it('federated domain, synced user, uncovered: unknown with the federation reason', () => {
    const synced = user('00000000-0000-0000-0000-00000000fed1', 'fred@fabrikam.com', { onPremisesSyncEnabled: true });
    const a = verdictOf(
      [],
      { [GRAPH_KEYS.domains]: [{ id: 'fabrikam.com', authenticationType: 'Federated', isVerified: true }] },
      synced,
    );
    notPass(a, 'unknown');
    expect(a.mechanisms).toContain('federated-idp');
  });
  it('a UPN domain missing from the collected domain list cannot be known managed: not a proven fail', () => {
    const u = user('00000000-0000-0000-0000-00000000fed2', 'x@sub.fabrikam.com');
    const a = verdictOf(
      [],
      { [GRAPH_KEYS.domains]: [{ id: 'fabrikam.com', authenticationType: 'Federated', isVerified: true }] },
      u,
    );
    notPass(a, 'unknown');
    expect(a.reasons.join(' ')).toContain("domain 'sub.fabrikam.com' is not among the collected domains");
  });
});

describe('accounts that try to look exempt', () => {
  it('accountEnabled null or absent counts as enabled', () => {
    notPass(verdictOf([], {}, user('u-n', 'n@contoso.com', { accountEnabled: null })), 'fail');
    const absent = user('u-a', 'a@contoso.com');
    delete absent.accountEnabled;
    notPass(verdictOf([], {}, absent), 'fail');
  });
  it('a disabled-looking but enabled account', () => {
    notPass(
      verdictOf(
        [],
        {},
        user('u-d', 'disabled.former-employee@contoso.com', {
          displayName: 'DISABLED - left company',
          accountEnabled: true,
        }),
      ),
      'fail',
    );
  });
  it('a Sync_ look-alike that holds no sync role (role assignments collected) is not the sync account', () => {
    const a = verdictOf([], {}, user('u-s', 'Sync_EVIL_0123456789ab@contoso.onmicrosoft.com'));
    notPass(a, 'fail');
    expect(a.kind).not.toBe('sync');
    expect(a.kindReason).toContain('not: it holds no directory synchronization role');
    // The real one holds the role: exempt.
    const real = verdictOf(
      [],
      {
        [GRAPH_KEYS.roleAssignments]: [
          {
            id: 'ra',
            principalId: 'u-s',
            roleDefinitionId: 'd29b2b05-8046-44ba-8758-1e26182fcf32',
            directoryScopeId: '/',
          },
        ],
      },
      user('u-s', 'Sync_DC01_0123456789ab@contoso.onmicrosoft.com'),
    );
    expect(real.verdict).toBe('exempt');
  });
  it('a Sync_ look-alike that is a guest is never the sync account', () => {
    const a = verdictOf([], {}, user('u-s', 'Sync_EVIL_0123456789ab@contoso.onmicrosoft.com', { userType: 'Guest' }));
    notPass(a, 'fail');
  });
  it('a Sync_ name synced from on-premises is not the cloud sync account', () => {
    const a = verdictOf(
      [],
      { [GRAPH_KEYS.roleAssignments]: undefined },
      user('u-s', 'Sync_EVIL_0123456789ab@contoso.onmicrosoft.com', { onPremisesSyncEnabled: true }),
    );
    notPass(a);
  });
});

describe('users whose type is not in the snapshot', () => {
  it('a user without userType may be a guest: a policy excluding guests cannot prove it covered', () => {
    const noType = user('u-t', 'ivan@contoso.com');
    delete noType.userType;
    const p = policy({ id: 'p', users: users({ includeUsers: ['All'], excludeUsers: ['GuestsOrExternalUsers'] }) });
    notPass(verdictOf([p, BLOCK_LEGACY], {}, noType), 'unknown');
    const q = policy({
      id: 'q',
      users: users({
        includeUsers: ['All'],
        excludeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: 'internalGuest',
        } as unknown as G.ConditionalAccessGuestsOrExternalUsers,
      }),
    });
    notPass(verdictOf([q, BLOCK_LEGACY], {}, noType), 'unknown');
  });
  it('an unknown userType value may be a guest; null (old objects) reads as a member', () => {
    const p = policy({ id: 'p', users: users({ includeUsers: ['All'], excludeUsers: ['GuestsOrExternalUsers'] }) });
    notPass(verdictOf([p, BLOCK_LEGACY], {}, user('u-t', 'x@contoso.com', { userType: 'External' })), 'unknown');
    expect(verdictOf([p, BLOCK_LEGACY], {}, user('u-t', 'x@contoso.com', { userType: null })).verdict).toBe('pass');
  });
  it('the indexed signatures decide like the per-policy rules for users of unknown type and unknown guest types', () => {
    const noType = user('u-t', 'ivan@contoso.com');
    delete noType.userType;
    const guest = user('u-g', 'g_x.com#EXT#@contoso.onmicrosoft.com', { userType: 'Guest' });
    const conds = [
      users({ includeUsers: ['All'], excludeUsers: ['GuestsOrExternalUsers'] }),
      users({ includeUsers: ['GuestsOrExternalUsers'] }),
      users({
        includeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: 'internalGuest',
        } as unknown as G.ConditionalAccessGuestsOrExternalUsers,
      }),
      users({
        includeUsers: ['All'],
        excludeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: 'unknownFutureValue',
        } as unknown as G.ConditionalAccessGuestsOrExternalUsers,
      }),
      users({
        includeUsers: ['All'],
        excludeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: 'internalGuest',
        } as unknown as G.ConditionalAccessGuestsOrExternalUsers,
      }),
    ];
    const snap = complete(
      [ALICE, noType, guest],
      conds.map((c, i) => policy({ id: `p${i}`, users: c })),
    );
    const dir = buildDirectory(snap);
    const normalised = normalisePolicies(dir);
    const signatureOf = compileSignatures(dir, normalised);
    const letters: Record<string, string> = {};
    for (const u of dir.users) {
      const cls = classify(
        dir,
        u,
        { breakGlass: [], serviceAccounts: { patterns: [], upns: [] } },
        [],
        new Set(),
        new Set(),
      );
      letters[u.id] = signatureOf(u.id, cls);
      expect(letters[u.id]).toBe(normalised.map((p) => applicabilityOf(dir, p, u.id, cls)).join(''));
    }
    expect(letters).toEqual({ [ALICE.id!]: 'ynnyy', 'u-t': 'mmmmm', 'u-g': 'xynmy' });
  });
  it('a user without userType is still covered by an all-users policy without guest exclusions', () => {
    const noType = user('u-t', 'ivan@contoso.com');
    delete noType.userType;
    expect(verdictOf([MFA_ALL], {}, noType).verdict).toBe('pass');
  });
});

describe('a whole tenant', () => {
  it('one report, every attack at once: nobody passes but the covered user', () => {
    const excluded = user('u-ex', 'excluded@contoso.com');
    const r = audit(
      complete(
        [ALICE, excluded],
        [policy({ id: 'p', users: users({ includeUsers: ['All'], excludeUsers: [excluded.id!] }) }), BLOCK_LEGACY],
      ),
    );
    expect(account(r, ALICE.userPrincipalName!).verdict).toBe('pass');
    notPass(account(r, excluded.userPrincipalName!), 'fail');
  });
});
