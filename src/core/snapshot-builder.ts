/**
 * Builders for tenant snapshots in Graph's own shapes: the demo tenant (scripts/generate-demo-tenant.js), the
 * benchmark tenants (bench/) and the tests (test/core/tenant/build.ts) all make their Graph JSON here.
 *
 * Every builder emits fields in the order Graph returns them and leaves out the ones given as `undefined`, so a
 * caller that passes fewer fields gets a smaller object with the same order. Pure: no I/O, no clock, no randomness.
 */
import type * as G from '@microsoft/microsoft-graph-types';
import type { Snapshot } from './snapshot.js';
import { BUILT_IN_STRENGTHS } from './tenant/constants.js';
import { GRAPH_KEYS, SNAPSHOT_FORMAT, federationConfigurationKey, groupMembersKey, perUserMfaKey } from './snapshot.js';

export type Json = Record<string, unknown>;

/** The object without its `undefined` fields (order kept). */
function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}

/** Directory role template ids (the same in every tenant). */
export const ROLE_TEMPLATE_IDS = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  sharePointAdministrator: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  passwordAdministrator: '966707d0-3269-4727-9be2-8c3a10f19b9d',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  conditionalAccessAdministrator: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  billingAdministrator: 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  directorySynchronizationAccounts: 'd29b2b05-8046-44ba-8758-1e26182fcf32',
} as const;
export type RoleName = keyof typeof ROLE_TEMPLATE_IDS;

/** Every guest and external user kind, as a policy's `guestOrExternalUserTypes` lists them. */
const ALL_GUEST_OR_EXTERNAL_USER_TYPES = 'internalGuest,b2bCollaborationGuest,b2bCollaborationMember,otherExternalUser';

/** A policy's guests-or-external-users condition covering every kind from every external tenant. */
export function allGuestsOrExternalUsers(): G.ConditionalAccessGuestsOrExternalUsers & Json {
  return {
    guestOrExternalUserTypes: ALL_GUEST_OR_EXTERNAL_USER_TYPES as G.ConditionalAccessGuestOrExternalUserTypes,
    externalTenants: {
      '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants',
      membershipKind: 'all',
    } as G.ConditionalAccessExternalTenants,
  };
}

// ---- users and directory objects --------------------------------------------------------------------------------

export interface UserSpec {
  id: string;
  userPrincipalName: string;
  /** Default: the part of the UPN before `@`. */
  displayName?: string;
  jobTitle?: string | null;
  mail?: string | null;
  /** Default: `Member`. */
  userType?: string;
  /** Default: true. */
  accountEnabled?: boolean;
  creationType?: string | null;
  externalUserState?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  identities?: G.ObjectIdentity[];
}

/** A user as `GET /users?$select=…` lists it. */
export function graphUser(u: UserSpec): G.User {
  return defined({
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName ?? u.userPrincipalName.split('@')[0],
    jobTitle: u.jobTitle,
    mail: u.mail,
    userType: u.userType ?? 'Member',
    accountEnabled: u.accountEnabled ?? true,
    creationType: u.creationType,
    externalUserState: u.externalUserState,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled,
    identities: u.identities,
  });
}

export type DirectoryObjectKind = 'user' | 'group' | 'servicePrincipal';

/** A directory object reference (a group member, a role assignment's principal): `@odata.type`, id, then `extra`. */
export function directoryObject(kind: DirectoryObjectKind, id: string, extra: Json = {}): Json {
  return { '@odata.type': `#microsoft.graph.${kind}`, id, ...extra };
}

/** A user as a member list or an expanded principal shows it; `detailed` adds its display name and UPN. */
export function userReference(u: G.User, detailed = false): Json {
  return directoryObject(
    'user',
    u.id!,
    detailed ? { displayName: u.displayName, userPrincipalName: u.userPrincipalName } : {},
  );
}

// ---- groups ------------------------------------------------------------------------------------------------------

export interface GroupSpec {
  id: string;
  displayName: string;
  description?: string | null;
  groupTypes?: string[];
  mailEnabled?: boolean;
  securityEnabled?: boolean;
  isAssignableToRole?: boolean | null;
}

/** A group as `GET /groups` lists it. */
export function graphGroup(g: GroupSpec): Json {
  return defined({
    id: g.id,
    displayName: g.displayName,
    description: g.description,
    groupTypes: g.groupTypes,
    mailEnabled: g.mailEnabled,
    securityEnabled: g.securityEnabled,
    isAssignableToRole: g.isAssignableToRole,
  });
}

/** The snapshot entry of a group's transitive members. */
export function groupMembers(groupId: string, memberObjects: Json[]): Record<string, unknown> {
  return { [groupMembersKey(groupId)]: memberObjects };
}

// ---- Conditional Access ------------------------------------------------------------------------------------------

/** A policy's `users` condition: every list empty unless given. */
export function usersCondition(u: Partial<G.ConditionalAccessUsers> = {}): G.ConditionalAccessUsers {
  return {
    includeUsers: [],
    excludeUsers: [],
    includeGroups: [],
    excludeGroups: [],
    includeRoles: [],
    excludeRoles: [],
    ...u,
  };
}

/** The `users` condition as Graph lists it (guest conditions present, null). */
function graphUsersCondition(u: Partial<G.ConditionalAccessUsers> = {}): G.ConditionalAccessUsers {
  return usersCondition({ includeGuestsOrExternalUsers: null, excludeGuestsOrExternalUsers: null, ...u });
}

/** The `applications` condition as Graph lists it: all applications unless told otherwise. */
function graphApplicationsCondition(a: Partial<G.ConditionalAccessApplications> = {}): G.ConditionalAccessApplications {
  return {
    includeApplications: ['All'],
    excludeApplications: [],
    includeUserActions: [],
    includeAuthenticationContextClassReferences: [],
    applicationFilter: null,
    ...a,
  };
}

export interface PolicySpec {
  id: string;
  displayName?: string;
  state?: G.ConditionalAccessPolicyState;
  templateId?: string | null;
  createdDateTime?: string;
  modifiedDateTime?: string | null;
  users?: Partial<G.ConditionalAccessUsers>;
  applications?: Partial<G.ConditionalAccessApplications>;
  /** Every other condition (client app types, locations, platforms, risk levels…). */
  conditions?: Json;
  grant?: Json;
  session?: Json | null;
  /** Add the `authenticationStrength@odata.context` annotation Graph puts in every policy's grant controls. */
  annotate?: boolean;
}

/** A Conditional Access policy as `GET /identity/conditionalAccess/policies` lists it: every field present. */
export function graphPolicy(p: PolicySpec): G.ConditionalAccessPolicy {
  const context = `https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies('${p.id}')/grantControls/authenticationStrength/$entity`;
  return {
    id: p.id,
    templateId: p.templateId ?? null,
    displayName: p.displayName ?? p.id,
    createdDateTime: p.createdDateTime ?? '2025-01-01T00:00:00Z',
    modifiedDateTime: p.modifiedDateTime ?? null,
    state: p.state ?? 'enabled',
    sessionControls: p.session ?? null,
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: [],
      clientAppTypes: ['all'],
      servicePrincipalRiskLevels: [],
      insiderRiskLevels: null,
      platforms: null,
      locations: null,
      devices: null,
      clientApplications: null,
      authenticationFlows: null,
      ...p.conditions,
      applications: graphApplicationsCondition(p.applications),
      users: graphUsersCondition(p.users),
    },
    grantControls: {
      operator: 'OR',
      builtInControls: [],
      customAuthenticationFactors: [],
      termsOfUse: [],
      ...(p.annotate ? { 'authenticationStrength@odata.context': context } : {}),
      authenticationStrength: null,
      ...p.grant,
    },
  };
}

export interface MinimalPolicySpec {
  id: string;
  name?: string;
  state?: G.ConditionalAccessPolicyState;
  users?: G.ConditionalAccessUsers;
  applications?: G.ConditionalAccessApplications;
  grant?: G.ConditionalAccessGrantControls | null;
  conditions?: Partial<G.ConditionalAccessConditionSet>;
}

/**
 * A policy with only the fields the engine reads: all users, all apps, MFA, unless told otherwise. `users`,
 * `applications` and `grant` replace the defaults whole.
 */
export function minimalPolicy(p: MinimalPolicySpec): G.ConditionalAccessPolicy {
  return {
    id: p.id,
    displayName: p.name ?? p.id,
    state: p.state ?? 'enabled',
    conditions: {
      users: p.users ?? usersCondition({ includeUsers: ['All'] }),
      applications: p.applications ?? { includeApplications: ['All'], excludeApplications: [], includeUserActions: [] },
      clientAppTypes: ['all'],
      platforms: null,
      locations: null,
      signInRiskLevels: [],
      userRiskLevels: [],
      ...p.conditions,
    },
    grantControls:
      p.grant === undefined
        ? { operator: 'OR', builtInControls: ['mfa'], customAuthenticationFactors: [], termsOfUse: [] }
        : p.grant,
    sessionControls: null,
  } satisfies G.ConditionalAccessPolicy;
}

// ---- named locations ---------------------------------------------------------------------------------------------

export interface LocationDates {
  createdDateTime?: string;
  modifiedDateTime?: string | null;
}

/** An IP named location; a CIDR with `:` is an IPv6 range. */
export function ipNamedLocation(
  l: { id: string; displayName: string; isTrusted: boolean; cidrs: string[] } & LocationDates,
): G.IpNamedLocation & { '@odata.type': string } {
  const range = (cidrAddress: string) =>
    ({
      '@odata.type': `#microsoft.graph.${cidrAddress.includes(':') ? 'iPv6' : 'iPv4'}CidrRange`,
      cidrAddress,
    }) as G.IPv4CidrRange;
  return defined({
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    id: l.id,
    displayName: l.displayName,
    createdDateTime: l.createdDateTime,
    modifiedDateTime: l.modifiedDateTime,
    isTrusted: l.isTrusted,
    ipRanges: l.cidrs.map(range),
  });
}

/** A country named location (looked up by client IP address, unknown countries not included). */
export function countryNamedLocation(
  l: { id: string; displayName: string; countries: string[] } & LocationDates,
): G.CountryNamedLocation & { '@odata.type': string } {
  return defined({
    '@odata.type': '#microsoft.graph.countryNamedLocation',
    id: l.id,
    displayName: l.displayName,
    createdDateTime: l.createdDateTime,
    modifiedDateTime: l.modifiedDateTime,
    countriesAndRegions: l.countries,
    includeUnknownCountriesAndRegions: false,
    countryLookupMethod: 'clientIpAddress',
  });
}

// ---- authentication strengths ------------------------------------------------------------------------------------

/** The allowed combinations of a built-in strength: the engine's own table, so both always agree. */
const combinationsOf = (n: number): string[] => [
  ...BUILT_IN_STRENGTHS[`00000000-0000-0000-0000-00000000000${n}`]!.allowedCombinations,
];

function builtInStrength(n: number, displayName: string, description: string, allowedCombinations: string[]): Json {
  return {
    id: `00000000-0000-0000-0000-00000000000${n}`,
    createdDateTime: '2021-12-01T00:00:00Z',
    modifiedDateTime: '2021-12-01T00:00:00Z',
    displayName,
    description,
    policyType: 'builtIn',
    requirementsSatisfied: 'mfa',
    allowedCombinations,
    combinationConfigurations: [],
  };
}

/** The three built-in authentication strengths, as `GET /policies/authenticationStrengthPolicies` lists them. */
export function builtInStrengths(): { mfa: Json; passwordless: Json; phishingResistant: Json } {
  return {
    mfa: builtInStrength(
      2,
      'Multifactor authentication',
      'Combinations of methods that satisfy strong authentication, such as a password + SMS',
      combinationsOf(2),
    ),
    passwordless: builtInStrength(
      3,
      'Passwordless MFA',
      'Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator',
      combinationsOf(3),
    ),
    phishingResistant: builtInStrength(
      4,
      'Phishing-resistant MFA',
      'Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key',
      combinationsOf(4),
    ),
  };
}

/** A strength as a policy's grant controls may carry it: id, name, requirement and combinations only. */
export function strengthSummary(strength: Json): Json {
  const { id, displayName, requirementsSatisfied, allowedCombinations } = strength;
  return { id, displayName, requirementsSatisfied, allowedCombinations };
}

// ---- roles -------------------------------------------------------------------------------------------------------

export interface RoleAssignmentSpec {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  /** Present (null) in Graph's answers; left out when undefined. */
  appScopeId?: string | null;
  condition?: string | null;
  /** The expanded principal (`$expand=principal`). */
  principal?: Json;
}

/** A tenant-wide role assignment (or an eligibility schedule instance: the same fields). */
export function roleAssignment(a: RoleAssignmentSpec): Json {
  return defined({
    id: a.id,
    principalId: a.principalId,
    roleDefinitionId: a.roleDefinitionId,
    directoryScopeId: '/',
    appScopeId: a.appScopeId,
    condition: a.condition,
    principal: a.principal,
  });
}

// ---- per-user MFA and registration -------------------------------------------------------------------------------

export type PerUserMfaState = 'disabled' | 'enabled' | 'enforced';

/** The snapshot entry of one user's per-user (legacy) MFA state. */
export function perUserMfa(userId: string, state: PerUserMfaState): Record<string, unknown> {
  return { [perUserMfaKey(userId)]: { perUserMfaState: state } };
}

export interface RegistrationSpec {
  id: string;
  userPrincipalName: string;
  userDisplayName?: string;
  userType: 'member' | 'guest';
  isAdmin: boolean;
  isSsprRegistered?: boolean;
  isSsprEnabled?: boolean;
  isSsprCapable?: boolean;
  isMfaRegistered: boolean;
  isMfaCapable: boolean;
  isPasswordlessCapable?: boolean;
  methodsRegistered: string[];
  isSystemPreferredAuthenticationMethodEnabled?: boolean;
  systemPreferredAuthenticationMethods?: string[];
  userPreferredMethodForSecondaryAuthentication?: string;
  lastUpdatedDateTime?: string;
}

/** One row of the registration report (`/reports/authenticationMethods/userRegistrationDetails`). */
export function registrationDetails(r: RegistrationSpec): Json {
  return defined({
    id: r.id,
    userPrincipalName: r.userPrincipalName,
    userDisplayName: r.userDisplayName,
    userType: r.userType,
    isAdmin: r.isAdmin,
    isSsprRegistered: r.isSsprRegistered,
    isSsprEnabled: r.isSsprEnabled,
    isSsprCapable: r.isSsprCapable,
    isMfaRegistered: r.isMfaRegistered,
    isMfaCapable: r.isMfaCapable,
    isPasswordlessCapable: r.isPasswordlessCapable,
    methodsRegistered: r.methodsRegistered,
    isSystemPreferredAuthenticationMethodEnabled: r.isSystemPreferredAuthenticationMethodEnabled,
    systemPreferredAuthenticationMethods: r.systemPreferredAuthenticationMethods,
    userPreferredMethodForSecondaryAuthentication: r.userPreferredMethodForSecondaryAuthentication,
    lastUpdatedDateTime: r.lastUpdatedDateTime,
  });
}

// ---- domains, federation, tenant-wide settings -------------------------------------------------------------------

export interface DomainSpec {
  id: string;
  authenticationType: 'Managed' | 'Federated';
  isAdminManaged?: boolean;
  isDefault: boolean;
  isInitial: boolean;
  isRoot?: boolean;
  isVerified?: boolean;
  supportedServices?: string[];
  passwordValidityPeriodInDays?: number | null;
  passwordNotificationWindowInDays?: number | null;
}

/** A domain as `GET /domains` lists it (verified unless told otherwise). */
export function graphDomain(d: DomainSpec): Json {
  return defined({
    id: d.id,
    authenticationType: d.authenticationType,
    isAdminManaged: d.isAdminManaged,
    isDefault: d.isDefault,
    isInitial: d.isInitial,
    isRoot: d.isRoot,
    isVerified: d.isVerified ?? true,
    supportedServices: d.supportedServices,
    passwordValidityPeriodInDays: d.passwordValidityPeriodInDays,
    passwordNotificationWindowInDays: d.passwordNotificationWindowInDays,
  });
}

/** A federated domain's federation configuration (`internalDomainFederation`); `settings` follow the id. */
export function domainFederation(id: string, federatedIdpMfaBehavior: string, settings: Json = {}): Json {
  return { '@odata.type': '#microsoft.graph.internalDomainFederation', id, ...settings, federatedIdpMfaBehavior };
}

/** The snapshot entry of a federated domain's federation configurations. */
export function federationConfiguration(domainId: string, configurations: Json[]): Record<string, unknown> {
  return { [federationConfigurationKey(domainId)]: configurations };
}

/** The security defaults policy, off unless told otherwise. */
export function securityDefaults(isEnabled = false, extra: { displayName?: string; description?: string } = {}): Json {
  return defined({
    id: '00000000-0000-0000-0000-000000000005',
    displayName: extra.displayName,
    description: extra.description,
    isEnabled,
  });
}

/** Every inbound trust setting false: MFA, compliant devices and hybrid joined devices of other tenants not trusted. */
const NO_INBOUND_TRUST = {
  isMfaAccepted: false,
  isCompliantDeviceAccepted: false,
  isHybridAzureADJoinedDeviceAccepted: false,
};

/** One B2B setting of the cross-tenant access policy: all users and all applications, allowed or blocked. */
export function b2bSetting(accessType: 'allowed' | 'blocked'): Json {
  return {
    usersAndGroups: { accessType, targets: [{ target: 'AllUsers', targetType: 'user' }] },
    applications: { accessType, targets: [{ target: 'AllApplications', targetType: 'application' }] },
  };
}

/** The service's default cross-tenant access policy (`settings` after `inboundTrust`: B2B settings, consent…). */
export function crossTenantDefault(inboundTrust: Json = NO_INBOUND_TRUST, settings: Json & { id?: string } = {}): Json {
  const { id, ...rest } = settings;
  return defined({ id, isServiceDefault: true, inboundTrust, ...rest });
}

// ---- the snapshot ------------------------------------------------------------------------------------------------

/** The snapshot envelope around `graph`. */
export function snapshot(tenantId: string, collectedAt: string, graph: Record<string, unknown>): Snapshot {
  return { format: SNAPSHOT_FORMAT, tenantId, collectedAt, graph };
}

export interface CompleteOptions {
  tenantId: string;
  collectedAt: string;
}

/**
 * A complete snapshot: every key collected (security defaults off, per-user MFA disabled for every user, managed
 * domain contoso.com), so verdicts depend only on what the caller sets. `graph` entries override the defaults; an
 * entry set to `undefined` removes the key.
 */
export function completeSnapshot(
  users: G.User[],
  policies: G.ConditionalAccessPolicy[],
  graph: Record<string, unknown>,
  options: CompleteOptions,
): Snapshot {
  const g: Record<string, unknown> = {
    [GRAPH_KEYS.users]: users,
    [GRAPH_KEYS.securityDefaults]: securityDefaults(false, { displayName: 'Security Defaults' }),
    [GRAPH_KEYS.conditionalAccessPolicies]: policies,
    [GRAPH_KEYS.namedLocations]: [],
    [GRAPH_KEYS.authenticationStrengthPolicies]: [],
    [GRAPH_KEYS.roleAssignments]: [],
    [GRAPH_KEYS.roleEligibility]: [],
    [GRAPH_KEYS.registrationDetails]: [],
    [GRAPH_KEYS.domains]: [
      { id: 'contoso.com', authenticationType: 'Managed', isVerified: true, isDefault: true } satisfies G.Domain,
    ],
    [GRAPH_KEYS.crossTenantDefault]: { isServiceDefault: true, inboundTrust: { ...NO_INBOUND_TRUST } },
  };
  for (const u of users) Object.assign(g, perUserMfa(u.id!, 'disabled'));
  Object.assign(g, graph);
  for (const [k, v] of Object.entries(g)) if (v === undefined) delete g[k];
  return snapshot(options.tenantId, options.collectedAt, g);
}
