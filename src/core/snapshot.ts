/**
 * The snapshot file: raw Graph JSON keyed by request path. The types are loose on
 * purpose; `src/input/snapshot.ts` validates a file into this shape, and the engine reads it defensively.
 */
export const SNAPSHOT_FORMAT = 'mfa-audit-snapshot/1';

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  tenantId: string;
  collectedAt: string;
  /** Graph request path (version prefix, no query) → collection items or a single resource. */
  graph: Record<string, unknown>;
  /**
   * Optional, beyond the fixed fields (free to grow): why a key is absent, e.g. "403: needs Policy.Read.All".
   * Written by live collection so the offline audit explains its `unknown`s the same way.
   */
  collectionErrors?: Record<string, string>;
}

/** Well-known keys of `graph`. `{id}` keys are built with the helpers below. */
export const GRAPH_KEYS = {
  users: 'v1.0/users',
  securityDefaults: 'v1.0/policies/identitySecurityDefaultsEnforcementPolicy',
  conditionalAccessPolicies: 'v1.0/identity/conditionalAccess/policies',
  namedLocations: 'v1.0/identity/conditionalAccess/namedLocations',
  authenticationStrengthPolicies: 'v1.0/policies/authenticationStrengthPolicies',
  roleAssignments: 'v1.0/roleManagement/directory/roleAssignments',
  registrationDetails: 'v1.0/reports/authenticationMethods/userRegistrationDetails',
  domains: 'v1.0/domains',
  crossTenantDefault: 'v1.0/policies/crossTenantAccessPolicy/default',
  /** The same policies as beta returns them: beta-only conditions (device states, later additions) are seen. */
  conditionalAccessPoliciesBeta: 'beta/identity/conditionalAccess/policies',
  /** The service principals of the app ids that policies name (one entry each, with appOwnerOrganizationId). */
  servicePrincipals: 'v1.0/servicePrincipals',
  /** Eligible (PIM) role assignments: an eligible account can activate the role at any time. */
  roleEligibility: 'v1.0/roleManagement/directory/roleEligibilityScheduleInstances',
  /**
   * Conditional Access What If answers (evaluation.md §9): an array of `{ request, response }`, the request body
   * posted to `beta/identity/conditionalAccess/evaluate` exactly as planned, and Graph's response (`{ value: [...] }`,
   * or `{ error }`). Answers are matched to the plan by the request's canonical JSON.
   */
  conditionalAccessEvaluate: 'beta/identity/conditionalAccess/evaluate',
  /**
   * Sign-in evidence (evaluation.md §9): signIn rows as Graph returns them, reduced to the properties a verdict rests
   * on — every successful single-factor sign-in of the window (and optionally other rows; counts come from them when
   * the window gives none).
   */
  signIns: 'v1.0/auditLogs/signIns',
  /**
   * What the sign-in collection covered: `{ from, to, truncated, users?: { [userId]: { mfa, mfaByClaim,
   * singleFactor } } }` — the window, whether collection stopped early, and per-user counts of successful sign-ins.
   */
  signInWindow: 'v1.0/auditLogs/signIns/$window',
} as const;

export const groupMembersKey = (groupId: string): string => `v1.0/groups/${groupId}/transitiveMembers`;
export const perUserMfaKey = (userId: string): string => `beta/users/${userId}/authentication/requirements`;
export const federationConfigurationKey = (domainId: string): string =>
  `v1.0/domains/${domainId}/federationConfiguration`;
