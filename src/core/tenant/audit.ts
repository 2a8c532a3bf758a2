/**
 * The tenant engine's entry point: a verdict for every user object of a snapshot (evaluation.md §2–§6).
 * STUB: the signature is the contract between modules; the implementation is being written.
 */
import type { Snapshot } from '../snapshot.js';
import type { TenantReport } from './types.js';

export interface AuditOptions {
  /** The instant of the audit (report's generatedAt). */
  now: Date;
  /** --break-glass: UPNs of emergency-access accounts (compared case-insensitively). */
  breakGlass: string[];
  /** --service-accounts: regular-expression sources and/or exact UPNs of service accounts. */
  serviceAccounts: { patterns: string[]; upns: string[] };
  source?: TenantReport['source'];
}

export function auditTenant(_snapshot: Snapshot, _options: AuditOptions): TenantReport {
  throw new Error('auditTenant: not implemented yet');
}

/**
 * The users whose verdict would depend on their per-user MFA state: collection fetches
 * `beta/users/{id}/authentication/requirements` only for these (it costs one request per user).
 * The snapshot passed in has everything else collected already.
 */
export function usersNeedingPerUserMfaState(_snapshot: Snapshot, _options: AuditOptions): string[] {
  throw new Error('usersNeedingPerUserMfaState: not implemented yet');
}
