/** What the collector asks Graph for: the fields the engine reads, and the request path of each collected key. */
import { perUserMfaKey } from '../core/snapshot.js';
import { PARTNER_AGENT_GROUPS } from '../core/tenant/constants.js';

/** Fields of `user` the engine reads (all but id/displayName/userPrincipalName are returned only on $select). */
export const USER_FIELDS = [
  'id',
  'userPrincipalName',
  'displayName',
  'userType',
  'accountEnabled',
  'mail',
  'creationType',
  'externalUserState',
  'onPremisesSyncEnabled',
  'identities',
];

/** Fields of `servicePrincipal` the engine reads: whose app it is (`appOwnerOrganizationId`). */
export const SERVICE_PRINCIPAL_FIELDS = ['id', 'appId', 'displayName', 'appOwnerOrganizationId'];

/** Partner Center's agent groups in a partner tenant, looked up by name (the engine's own list). */
export const AGENT_GROUPS: readonly string[] = PARTNER_AGENT_GROUPS;
/**
 * Key of a subset of `v1.0/groups` (id, displayName): the agent groups found by name, then every other group whose
 * members were collected, so messages can name groups.
 */
export const AGENT_GROUPS_KEY = 'v1.0/groups';
/** collectionErrors key used when per-user MFA state could not be read for anyone (one reason, not one per user). */
export const PER_USER_MFA_ALL_KEY = perUserMfaKey('{id}');

const enc = encodeURIComponent;

/** The request path (with query) of each collected key. */
export const REQUESTS = {
  users: `v1.0/users?$select=${USER_FIELDS.join(',')}&$top=999`,
  securityDefaults: 'v1.0/policies/identitySecurityDefaultsEnforcementPolicy',
  conditionalAccessPolicies: 'v1.0/identity/conditionalAccess/policies',
  namedLocations: 'v1.0/identity/conditionalAccess/namedLocations',
  authenticationStrengthPolicies: 'v1.0/policies/authenticationStrengthPolicies',
  roleAssignments: 'v1.0/roleManagement/directory/roleAssignments?$expand=principal',
  registrationDetails: 'v1.0/reports/authenticationMethods/userRegistrationDetails?$top=999',
  domains: 'v1.0/domains',
  crossTenantDefault: 'v1.0/policies/crossTenantAccessPolicy/default',
  conditionalAccessPoliciesBeta: 'beta/identity/conditionalAccess/policies',
  // Expanded like role assignments: whether an eligible principal is a user, a group or neither is then known.
  roleEligibility: 'v1.0/roleManagement/directory/roleEligibilityScheduleInstances?$expand=principal',
  agentGroups: `v1.0/groups?$filter=${enc(`displayName in (${AGENT_GROUPS.map((g) => `'${g}'`).join(',')})`)}&$select=id,displayName&$top=999`,
  federationConfiguration: (domainId: string) => `v1.0/domains/${enc(domainId)}/federationConfiguration`,
  groupMembers: (id: string) =>
    `/groups/${enc(id)}/transitiveMembers?$select=id,displayName,userPrincipalName&$top=999`,
  groupName: (id: string) => `/groups/${enc(id)}?$select=id,displayName`,
  perUserMfa: (id: string) => `/users/${enc(id)}/authentication/requirements`,
  /** One app id's service principal (none when the app has no service principal in the tenant). */
  servicePrincipal: (appId: string) =>
    `/servicePrincipals?$filter=${enc(`appId eq '${appId}'`)}&$select=${SERVICE_PRINCIPAL_FIELDS.join(',')}`,
};
