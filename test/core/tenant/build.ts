/** Builders for tenant snapshots in real Graph shapes (type-checked against @microsoft/microsoft-graph-types). */
import type * as G from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../../src/core/snapshot.js';
import { GRAPH_KEYS, groupMembersKey, perUserMfaKey } from '../../../src/core/snapshot.js';
import type { AuditOptions } from '../../../src/core/tenant/audit.js';
import { auditTenant } from '../../../src/core/tenant/audit.js';
import type { AccountResult, TenantReport } from '../../../src/core/tenant/types.js';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const NOW = new Date('2026-11-21T12:00:00Z');

export function user(id: string, upn: string, extra: Partial<G.User> = {}): G.User {
  return { id, userPrincipalName: upn, displayName: upn.split('@')[0], userType: 'Member', accountEnabled: true, ...extra };
}

export const ALICE = user('00000000-0000-0000-0000-00000000a11c', 'alice@contoso.com');
export const BOB = user('00000000-0000-0000-0000-000000000b0b', 'bob@contoso.com');

type PolicyInput = {
  id: string;
  name?: string;
  state?: G.ConditionalAccessPolicyState;
  users?: G.ConditionalAccessUsers;
  applications?: G.ConditionalAccessApplications;
  grant?: G.ConditionalAccessGrantControls | null;
  conditions?: Partial<G.ConditionalAccessConditionSet>;
};

/** A CA policy in the list endpoint's shape: all users, all apps, MFA, unless told otherwise. */
export function policy(p: PolicyInput): G.ConditionalAccessPolicy {
  return {
    id: p.id,
    displayName: p.name ?? p.id,
    state: p.state ?? 'enabled',
    conditions: {
      users: p.users ?? { includeUsers: ['All'], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [] },
      applications: p.applications ?? { includeApplications: ['All'], excludeApplications: [], includeUserActions: [] },
      clientAppTypes: ['all'],
      platforms: null,
      locations: null,
      signInRiskLevels: [],
      userRiskLevels: [],
      ...p.conditions,
    },
    grantControls: p.grant === undefined ? { operator: 'OR', builtInControls: ['mfa'], customAuthenticationFactors: [], termsOfUse: [] } : p.grant,
    sessionControls: null,
  } satisfies G.ConditionalAccessPolicy;
}

/** A policy's `users` condition: every list empty unless given. */
export function users(u: Partial<G.ConditionalAccessUsers>): G.ConditionalAccessUsers {
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

export const MFA_ALL = policy({ id: 'p-mfa-all', name: 'Require MFA for everyone' });

export function ipLocation(id: string, name: string, cidr: string, trusted: boolean): G.IpNamedLocation & { '@odata.type': string } {
  return {
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    id,
    displayName: name,
    isTrusted: trusted,
    ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: cidr } as G.IPv4CidrRange],
  };
}

/**
 * A complete snapshot: every key collected (security defaults off, per-user MFA disabled for every user, managed
 * domain contoso.com), so verdicts depend only on what the test sets.
 */
export function complete(users: G.User[], policies: G.ConditionalAccessPolicy[], graph: Record<string, unknown> = {}): Snapshot {
  const g: Record<string, unknown> = {
    [GRAPH_KEYS.users]: users,
    [GRAPH_KEYS.securityDefaults]: { id: '00000000-0000-0000-0000-000000000005', displayName: 'Security Defaults', isEnabled: false },
    [GRAPH_KEYS.conditionalAccessPolicies]: policies,
    [GRAPH_KEYS.namedLocations]: [],
    [GRAPH_KEYS.authenticationStrengthPolicies]: [],
    [GRAPH_KEYS.roleAssignments]: [],
    [GRAPH_KEYS.roleEligibility]: [],
    [GRAPH_KEYS.registrationDetails]: [],
    [GRAPH_KEYS.domains]: [{ id: 'contoso.com', authenticationType: 'Managed', isVerified: true, isDefault: true } satisfies G.Domain],
    [GRAPH_KEYS.crossTenantDefault]: { isServiceDefault: true, inboundTrust: { isMfaAccepted: false, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: false } },
  };
  for (const u of users) g[perUserMfaKey(u.id!)] = { perUserMfaState: 'disabled' };
  Object.assign(g, graph);
  for (const [k, v] of Object.entries(g)) if (v === undefined) delete g[k];
  return { format: 'mfa-audit-snapshot/1', tenantId: TENANT, collectedAt: '2026-11-20T00:00:00Z', graph: g };
}

export function members(groupId: string, ...users: G.User[]): Record<string, unknown> {
  return { [groupMembersKey(groupId)]: users.map((u) => ({ '@odata.type': '#microsoft.graph.user', id: u.id })) };
}

export function audit(snapshot: Snapshot, options: Partial<AuditOptions> = {}): TenantReport {
  return auditTenant(snapshot, { now: NOW, breakGlass: [], serviceAccounts: { patterns: [], upns: [] }, ...options });
}

export function account(report: TenantReport, upn: string): AccountResult {
  const a = report.accounts.find((x) => x.userPrincipalName === upn);
  if (!a) throw new Error(`no account ${upn}`);
  return a;
}

/** Verdict of one user (default alice) in a complete snapshot with these policies. */
export function verdictOf(policies: G.ConditionalAccessPolicy[], graph: Record<string, unknown> = {}, who: G.User = ALICE): AccountResult {
  return account(audit(complete([who], policies, graph)), who.userPrincipalName!);
}
