/**
 * Which Microsoft Graph permission each collected key needs (least privilege), and what the audit loses without
 * it. One table feeds three things: the note about a token's missing permissions before collection, the reason
 * recorded when Graph answers 403, and docs/permissions.md. Each entry is the least-privileged permission Graph
 * accepts for the key's request, delegated or application alike.
 */
import { GRAPH_KEYS } from '../core/snapshot.js';

type PermissionArea =
  | 'users'
  | 'policies'
  | 'conditionalAccess'
  | 'groups'
  | 'roles'
  | 'registration'
  | 'domains'
  | 'perUserMfa'
  | 'applications'
  | 'roleEligibility';

interface PermissionNeed {
  /** Least-privileged permission to grant (the same name for delegated and application). */
  grant: string;
  /** Any of these in the token's `roles` (app-only) or `scp` (delegated) is enough. */
  satisfiedBy: readonly string[];
  /** What becomes unknown without it. */
  without: string;
}

const DIRECTORY = ['Directory.Read.All', 'Directory.ReadWrite.All'];

export const PERMISSION_NEEDS: Record<PermissionArea, PermissionNeed> = {
  users: {
    grant: 'User.Read.All',
    satisfiedBy: ['User.Read.All', 'User.ReadWrite.All', ...DIRECTORY],
    without: 'nothing can be audited: the user list is required',
  },
  policies: {
    grant: 'Policy.Read.All',
    satisfiedBy: ['Policy.Read.All'],
    without: 'security defaults, authentication strengths and cross-tenant MFA trust are unknown',
  },
  conditionalAccess: {
    grant: 'Policy.Read.All',
    satisfiedBy: ['Policy.Read.All', 'Policy.Read.ConditionalAccess', 'Policy.ReadWrite.ConditionalAccess'],
    without: 'Conditional Access policies and named locations are unknown, so no account can pass through them',
  },
  groups: {
    grant: 'GroupMember.Read.All',
    satisfiedBy: ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', ...DIRECTORY],
    without: 'members of groups that policies include or exclude (and role-assignable groups) are unknown',
  },
  roles: {
    grant: 'RoleManagement.Read.Directory',
    satisfiedBy: [
      'RoleManagement.Read.Directory',
      'RoleManagement.Read.All',
      'RoleManagement.ReadWrite.Directory',
      ...DIRECTORY,
    ],
    without: 'admin roles are unknown, so policies that target roles cannot be resolved',
  },
  registration: {
    grant: 'AuditLog.Read.All',
    satisfiedBy: ['AuditLog.Read.All', 'UserAuthenticationMethod.Read.All', 'UserAuthenticationMethod.ReadWrite.All'],
    without: 'MFA registration details are unknown (also needs an Entra ID P1 or P2 licence)',
  },
  domains: {
    grant: 'Domain.Read.All',
    satisfiedBy: ['Domain.Read.All', 'Domain.ReadWrite.All', ...DIRECTORY],
    without: 'federated domains and their federatedIdpMfaBehavior are unknown',
  },
  perUserMfa: {
    grant: 'Policy.Read.All',
    satisfiedBy: ['Policy.Read.All', 'Policy.ReadWrite.AuthenticationMethod'],
    without: 'per-user MFA state is unknown for accounts no other mechanism decides',
  },
  applications: {
    grant: 'Application.Read.All',
    satisfiedBy: ['Application.Read.All', 'Application.ReadWrite.All', ...DIRECTORY],
    without:
      'the owners of apps that policies name are unknown, so whether such an app is in the Office 365 or Microsoft Admin Portals app groups cannot be told',
  },
  // Not Directory.Read.All: PIM schedules are not directory reads.
  roleEligibility: {
    grant: 'RoleManagement.Read.Directory',
    satisfiedBy: [
      'RoleManagement.Read.Directory',
      'RoleManagement.Read.All',
      'RoleManagement.ReadWrite.Directory',
      'RoleEligibilitySchedule.Read.Directory',
      'RoleEligibilitySchedule.ReadWrite.Directory',
    ],
    without:
      'eligible (PIM) role assignments are unknown, so an account that can activate a role a policy excludes is not seen (also needs an Entra ID P2 licence)',
  },
};

/** The permission area of a snapshot key (`v1.0/groups/{id}/transitiveMembers` → groups, …). */
export function areaOfKey(key: string): PermissionArea {
  if (key === GRAPH_KEYS.users) return 'users';
  if (key.startsWith('v1.0/identity/conditionalAccess/') || key.startsWith('beta/identity/conditionalAccess/')) {
    return 'conditionalAccess';
  }
  if (key === GRAPH_KEYS.servicePrincipals) return 'applications';
  if (key === GRAPH_KEYS.roleEligibility) return 'roleEligibility';
  if (key.startsWith('v1.0/groups')) return 'groups';
  if (key.startsWith('v1.0/roleManagement/')) return 'roles';
  if (key.startsWith('v1.0/reports/')) return 'registration';
  if (key.startsWith('v1.0/domains')) return 'domains';
  if (key.startsWith('beta/users/')) return 'perUserMfa';
  return 'policies';
}

/** "403 Forbidden: needs Policy.Read.All (…)", for collectionErrors and messages. */
export function forbiddenReason(key: string, graphCode?: string): string {
  const need = PERMISSION_NEEDS[areaOfKey(key)];
  const code = graphCode ? ` ${graphCode}` : '';
  const licence =
    graphCode === 'Authentication_RequestFromNonPremiumTenantOrB2CTenant'
      ? '; the tenant also needs an Entra ID P1 or P2 licence'
      : graphCode === 'AadPremiumLicenseRequired'
        ? '; the tenant also needs an Entra ID P2 licence'
        : '';
  return `403 Forbidden${code}: needs the Graph permission ${need.grant} (delegated or application)${licence}; without it ${need.without}`;
}

/**
 * The reason for an answer that says the tenant lacks a licence (role eligibility without Entra ID P2 answers
 * 400 AadPremiumLicenseRequired), or undefined for any other answer.
 */
export function unlicensedReason(key: string, status: number, graphCode?: string): string | undefined {
  if (graphCode !== 'AadPremiumLicenseRequired') return undefined;
  const need = PERMISSION_NEEDS[areaOfKey(key)];
  return `${status} ${graphCode}: the tenant needs an Entra ID P2 (or Entra ID Governance) licence for this; without it ${need.without}`;
}

/** Areas the token's permissions do not cover. Delegated tokens carry `scp` (space-separated), app-only `roles`. */
export function missingPermissions(granted: readonly string[]): PermissionArea[] {
  const have = new Set(granted.map((permission) => permission.toLowerCase()));
  return (Object.keys(PERMISSION_NEEDS) as PermissionArea[]).filter(
    (area) => !PERMISSION_NEEDS[area].satisfiedBy.some((permission) => have.has(permission.toLowerCase())),
  );
}

/** Optional evidence (evaluation.md §9): asked for when the token allows it; without it the report is as before. */
export const OPTIONAL_PERMISSIONS = {
  whatIf: {
    grant: 'Policy.Read.ConditionalAccess',
    satisfiedBy: ['Policy.Read.ConditionalAccess', 'Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess'],
    without: "gaps are not confirmed by Entra's What If and no passes are spot-checked",
  },
  signIns: {
    grant: 'AuditLog.Read.All',
    satisfiedBy: ['AuditLog.Read.All'],
    without: 'sign-ins are not read, so no account carries sign-in evidence',
  },
} as const satisfies Record<string, PermissionNeed>;

/** Whether a token's permissions (undefined: not a JWT, so not known) allow one optional kind of evidence. */
export function allowsOptional(
  granted: readonly string[] | undefined,
  kind: keyof typeof OPTIONAL_PERMISSIONS,
): boolean {
  if (granted === undefined) return true;
  const have = new Set(granted.map((permission) => permission.toLowerCase()));
  return OPTIONAL_PERMISSIONS[kind].satisfiedBy.some((permission) => have.has(permission.toLowerCase()));
}
