/**
 * The tenant engine's entry point: a verdict for every user object of a snapshot (evaluation.md §2–§6).
 * Pure: plain data in, plain data out. Accounts that every enabled policy treats alike (same signature) share one
 * Conditional Access evaluation, so the cost is near-linear in accounts × policies.
 */
import type { Snapshot } from '../snapshot.js';
import { toEnd } from '../steps.js';
import type { TenantReport } from './types.js';
import { buildDirectoryInSteps } from './directory.js';
import type { GraphUser } from './graph-json.js';
import { classify, compileServicePatterns } from './classify.js';
import { compileSignatures, normalisePolicies } from './policy.js';
import { buildContextSpace } from './contexts.js';
import { PARTNER_AGENT_GROUPS } from './constants.js';
import type { AccountEvaluation, ClassifyHelpers, EngineState } from './engine-types.js';
import { evaluateAccount, signatureEntry } from './evaluate.js';
import { tenantFindings } from './findings.js';
import { compareAccounts } from './account-order.js';
import { applyEvidence, planItemsInSteps } from './evidence.js';
import type { WhatIfOptions, WhatIfPlan } from './what-if-plan.js';
import { planFrom } from './what-if-plan.js';
import { planFixes } from './fixes.js';

export interface AuditOptions {
  /** The instant of the audit (report's generatedAt). */
  now: Date;
  /** --break-glass: UPNs of emergency-access accounts (compared case-insensitively). */
  breakGlass: string[];
  /** --service-accounts: regular-expression sources and/or exact UPNs of service accounts. */
  serviceAccounts: { patterns: string[]; upns: string[] };
  source?: TenantReport['source'];
  /** What If budgets (evaluation.md §9); the same values must be given when planning and when auditing. */
  whatIf?: WhatIfOptions;
}

/**
 * The engine state of a snapshot. `sharing`: the state of a snapshot that may differ only in its Conditional Access
 * objects (plan's baseline), whose directory is then shared rather than built again.
 */
export function prepare(snapshot: Snapshot, sharing?: EngineState): EngineState {
  return toEnd(prepareInSteps(snapshot, sharing));
}

function* prepareInSteps(snapshot: Snapshot, sharing?: EngineState): Generator<void, EngineState, void> {
  const dir = yield* buildDirectoryInSteps(snapshot, sharing?.dir);
  const policies = normalisePolicies(dir);
  const enabled = policies.filter((p) => p.state === 'enabled' && p.targetsUsers);
  const agentGroups = new Map<string, string>();
  for (const [gid, name] of dir.groupNames) {
    if ((PARTNER_AGENT_GROUPS as readonly string[]).includes(name)) agentGroups.set(gid, name);
  }
  const space = buildContextSpace(dir, enabled);
  yield;
  return {
    dir,
    policies,
    enabled,
    space,
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
  return auditPrepared(prepare(snapshot), options).report;
}

/** `auditTenant` of a prepared state, with the evaluations (in the order of `state.dir.users`) behind the report. */
export function auditPrepared(
  state: EngineState,
  options: AuditOptions,
): { report: TenantReport; evaluations: AccountEvaluation[] } {
  const { snapshot } = state.dir;
  const helpers = helpersFor(options);
  const evaluations = state.dir.users.map((u) => evaluateAccount(state, u, options, helpers));
  // Evidence from Entra (What If answers, sign-ins) before the findings, which then see the verdicts it changed.
  const evidence = applyEvidence(state, evaluations, options.whatIf);
  const accounts = evaluations.map((e) => e.result).sort(compareAccounts);
  const summary = { accounts: accounts.length, pass: 0, fail: 0, exempt: 0, unknown: 0 };
  for (const a of accounts) summary[a.verdict]++;
  const report: TenantReport = {
    tenantId: snapshot.tenantId,
    generatedAt: options.now.toISOString(),
    summary,
    findings: [...tenantFindings(state, evaluations), ...evidence.findings],
    accounts,
  };
  if (options.source) report.source = options.source;
  if (evidence.whatIf) report.whatIf = evidence.whatIf;
  if (evidence.signIns) report.signIns = evidence.signIns;
  const fixes = planFixes(state, evaluations);
  if (fixes.length) report.fixes = fixes;
  return { report, evaluations };
}

/**
 * The Conditional Access What If requests to collect for a snapshot (evaluation.md §9): one per distinct gap of a
 * signature, plus spot-checks of passing signatures. Planned from the engine's own verdicts (what the snapshot's
 * What If answers, if any, do not change), so the audit that reads the answers plans exactly the same requests.
 * The collector posts each `request` to `beta/identity/conditionalAccess/evaluate` and stores
 * `{ request, response }` under `GRAPH_KEYS.conditionalAccessEvaluate`.
 */
export function planWhatIf(snapshot: Snapshot, options: AuditOptions): WhatIfPlan {
  return toEnd(planWhatIfInSteps(snapshot, options));
}

/**
 * `planWhatIf` as steps: each `yield` is a point where the caller may let other work run between them (the collector
 * reads the answers of its requests in flight there), and the plan returned is the same. No step is longer than
 * building the engine's state, sorting the accounts or planning from them; accounts are evaluated a few hundred at a
 * time.
 */
export function* planWhatIfInSteps(snapshot: Snapshot, options: AuditOptions): Generator<void, WhatIfPlan, void> {
  const state = yield* prepareInSteps(snapshot);
  yield;
  const helpers = helpersFor(options);
  const evaluations: AccountEvaluation[] = [];
  for (const u of state.dir.users) {
    evaluations.push(evaluateAccount(state, u, options, helpers));
    if (evaluations.length % ACCOUNTS_PER_STEP === 0) yield;
  }
  yield;
  const items = yield* planItemsInSteps(state, evaluations);
  yield;
  return planFrom(state, items, options.whatIf);
}

/** Accounts evaluated between two yields of a computation in steps (a few milliseconds of work). */
const ACCOUNTS_PER_STEP = 250;

/**
 * The users whose verdict would depend on their per-user MFA state: collection fetches
 * `beta/users/{id}/authentication/requirements` only for these (it costs one request per user).
 * The snapshot passed in has everything else collected already.
 */
export function usersNeedingPerUserMfaState(snapshot: Snapshot, options: AuditOptions): string[] {
  return toEnd(usersNeedingPerUserMfaStateInSteps(snapshot, options));
}

/** `usersNeedingPerUserMfaState` as steps (see planWhatIfInSteps): the same users, in the same order. */
export function* usersNeedingPerUserMfaStateInSteps(
  snapshot: Snapshot,
  options: AuditOptions,
): Generator<void, string[], void> {
  const state = yield* prepareInSteps(snapshot);
  yield;
  const helpers = helpersFor(options);
  const { dir } = state;
  const out: string[] = [];
  let looked = 0;
  for (const u of dir.users) {
    if (++looked % (4 * ACCOUNTS_PER_STEP) === 0) yield;
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
