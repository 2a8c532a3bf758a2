/**
 * The tenant engine's entry point: a verdict for every user object of a snapshot (evaluation.md §2–§6).
 * Pure: plain data in, plain data out. Accounts that every enabled policy treats alike (same signature) share one
 * Conditional Access evaluation, so the cost is near-linear in accounts × policies.
 */
import type { Snapshot } from '../snapshot.js';
import type { TenantReport } from './types.js';
import { buildDirectory } from './directory.js';
import type { GraphUser } from './graph-json.js';
import { classify, compileServicePatterns } from './classify.js';
import { compileSignatures, normalisePolicies } from './policy.js';
import { buildContextSpace } from './contexts.js';
import { PARTNER_AGENT_GROUPS } from './constants.js';
import type { ClassifyHelpers, EngineState } from './engine-types.js';
import { evaluateAccount, signatureEntry } from './evaluate.js';
import { tenantFindings } from './findings.js';
import { compareAccounts } from './account-order.js';

export interface AuditOptions {
  /** The instant of the audit (report's generatedAt). */
  now: Date;
  /** --break-glass: UPNs of emergency-access accounts (compared case-insensitively). */
  breakGlass: string[];
  /** --service-accounts: regular-expression sources and/or exact UPNs of service accounts. */
  serviceAccounts: { patterns: string[]; upns: string[] };
  source?: TenantReport['source'];
}

export function prepare(snapshot: Snapshot): EngineState {
  const dir = buildDirectory(snapshot);
  const policies = normalisePolicies(dir);
  const enabled = policies.filter((p) => p.state === 'enabled' && p.targetsUsers);
  const agentGroups = new Map<string, string>();
  for (const [gid, name] of dir.groupNames) {
    if ((PARTNER_AGENT_GROUPS as readonly string[]).includes(name)) agentGroups.set(gid, name);
  }
  return {
    dir,
    policies,
    enabled,
    space: buildContextSpace(dir, enabled),
    cache: new Map(),
    agentGroups,
    signatureOf: compileSignatures(dir, enabled),
  };
}

function helpersFor(options: AuditOptions): ClassifyHelpers {
  return {
    servicePatterns: compileServicePatterns(options.serviceAccounts.patterns),
    breakGlass: new Set(options.breakGlass.map((u) => u.trim().toLowerCase()).filter(Boolean)),
    serviceUpns: new Set(options.serviceAccounts.upns.map((u) => u.trim().toLowerCase()).filter(Boolean)),
  };
}

export function auditTenant(snapshot: Snapshot, options: AuditOptions): TenantReport {
  const state = prepare(snapshot);
  const helpers = helpersFor(options);
  const evaluations = state.dir.users.map((u) => evaluateAccount(state, u, options, helpers));
  const accounts = evaluations.map((e) => e.result).sort(compareAccounts);
  const summary = { accounts: accounts.length, pass: 0, fail: 0, exempt: 0, unknown: 0 };
  for (const a of accounts) summary[a.verdict]++;
  const report: TenantReport = {
    tenantId: snapshot.tenantId,
    generatedAt: options.now.toISOString(),
    summary,
    findings: tenantFindings(state, evaluations),
    accounts,
  };
  if (options.source) report.source = options.source;
  return report;
}

/**
 * The users whose verdict would depend on their per-user MFA state: collection fetches
 * `beta/users/{id}/authentication/requirements` only for these (it costs one request per user).
 * The snapshot passed in has everything else collected already.
 */
export function usersNeedingPerUserMfaState(snapshot: Snapshot, options: AuditOptions): string[] {
  const state = prepare(snapshot);
  const helpers = helpersFor(options);
  const { dir } = state;
  const out: string[] = [];
  for (const u of dir.users) {
    if (dir.perUser.has(u.id)) continue;
    if (needsPerUserState(state, u, options, helpers)) out.push(u.id);
  }
  return out;
}

/**
 * `evaluateAccount(…).needsPerUserState` without building the account's result: exempt accounts and security
 * defaults never need it; otherwise it is needed unless Conditional Access passes, which is one cached evaluation per
 * signature (so 100,000 users cost about as much as their signatures).
 */
function needsPerUserState(
  state: EngineState,
  user: GraphUser,
  options: AuditOptions,
  helpers: ClassifyHelpers,
): boolean {
  const { dir } = state;
  const cls = classify(dir, user, options, helpers.servicePatterns, helpers.breakGlass, helpers.serviceUpns);
  if (cls.exemptReason) return false;
  if (dir.securityDefaults === true) return false;
  if (!dir.caPolicies) return true;
  return signatureEntry(state, state.signatureOf(user.id, cls)).result.verdict !== 'pass';
}
