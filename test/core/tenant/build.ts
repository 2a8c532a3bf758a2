/**
 * Builders for tenant snapshots in real Graph shapes (type-checked against @microsoft/microsoft-graph-types), on top
 * of the shared builders of src/core/snapshot-builder.ts.
 */
import type * as G from '@microsoft/microsoft-graph-types';
import type { Snapshot } from '../../../src/core/snapshot.js';
import {
  completeSnapshot,
  directoryObject,
  graphUser,
  groupMembers,
  ipNamedLocation,
  minimalPolicy,
  usersCondition,
} from '../../../src/core/snapshot-builder.js';
import type { MinimalPolicySpec } from '../../../src/core/snapshot-builder.js';
import type { AuditOptions } from '../../../src/core/tenant/audit.js';
import { auditTenant } from '../../../src/core/tenant/audit.js';
import type { AccountResult, TenantReport } from '../../../src/core/tenant/types.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const NOW = new Date('2026-11-21T12:00:00Z');

export function user(id: string, upn: string, extra: Partial<G.User> = {}): G.User {
  return { ...graphUser({ id, userPrincipalName: upn }), ...extra };
}

export const ALICE = user('00000000-0000-0000-0000-00000000a11c', 'alice@contoso.com');
export const BOB = user('00000000-0000-0000-0000-000000000b0b', 'bob@contoso.com');

/** A CA policy in the list endpoint's shape: all users, all apps, MFA, unless told otherwise. */
export function policy(p: MinimalPolicySpec): G.ConditionalAccessPolicy {
  return minimalPolicy(p);
}

/** A policy's `users` condition: every list empty unless given. */
export function users(u: Partial<G.ConditionalAccessUsers>): G.ConditionalAccessUsers {
  return usersCondition(u);
}

export const MFA_ALL = policy({ id: 'p-mfa-all', name: 'Require MFA for everyone' });

export function ipLocation(
  id: string,
  name: string,
  cidr: string,
  trusted: boolean,
): G.IpNamedLocation & { '@odata.type': string } {
  return ipNamedLocation({ id, displayName: name, isTrusted: trusted, cidrs: [cidr] });
}

/**
 * A complete snapshot: every key collected (security defaults off, per-user MFA disabled for every user, managed
 * domain contoso.com), so verdicts depend only on what the test sets.
 */
export function complete(
  users: G.User[],
  policies: G.ConditionalAccessPolicy[],
  graph: Record<string, unknown> = {},
): Snapshot {
  return completeSnapshot(users, policies, graph, { tenantId: TENANT, collectedAt: '2026-11-20T00:00:00Z' });
}

export function members(groupId: string, ...users: G.User[]): Record<string, unknown> {
  return groupMembers(
    groupId,
    users.map((u) => directoryObject('user', u.id!)),
  );
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
export function verdictOf(
  policies: G.ConditionalAccessPolicy[],
  graph: Record<string, unknown> = {},
  who: G.User = ALICE,
): AccountResult {
  return account(audit(complete([who], policies, graph)), who.userPrincipalName!);
}
