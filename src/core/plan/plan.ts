/**
 * The two audits of `plan` (and of `diff` between snapshots that differ only in their Conditional Access objects):
 * the proposed state is audited whole, by the same `auditTenant` as `mfa-audit tenant`; the baseline is audited only
 * where the change can make a difference, so a plan costs little more than one audit.
 *
 * An account is re-evaluated against the baseline when a changed policy may apply to it or exclude it (its letter
 * in either state's signature is not 'n', evaluation.md §4), when its Conditional Access verdict differs between the
 * two states' evaluations of its signature (the search over the sign-in contexts is per signature and cheap), or
 * when its per-user MFA state is `enabled` (which narrows its evaluation to legacy clients). A policy whose only
 * change is whom it targets touches only the accounts whose letter for it changed, or whose words for it (how they
 * are excluded, why they may be targeted) changed: adding an exclusion group to "MFA for all users" re-evaluates that
 * group, not the tenant. Every other account has the same policies acting on it on both sides, so its result is the
 * proposed one. A changed named location or authentication strength can reach any policy (through `AllTrusted`, say):
 * then every account is re-evaluated.
 */
import type { Snapshot } from '../snapshot.js';
import type { AuditOptions } from '../tenant/audit.js';
import { auditPrepared, prepare } from '../tenant/audit.js';
import type { Classification } from '../tenant/classify.js';
import { classify, compileServicePatterns } from '../tenant/classify.js';
import type { AccountEvaluation, ClassifyHelpers, EngineState } from '../tenant/engine-types.js';
import { evaluateAccount, signatureEntry } from '../tenant/evaluate.js';
import { tenantFindings } from '../tenant/findings.js';
import { compareAccounts } from '../tenant/account-order.js';
import type { TenantReport } from '../tenant/types.js';
import { canonical } from './object-diff.js';
import type { GapJudge } from './gap-judge.js';
import { gapJudge } from './gap-judge.js';
import { idOf, objectsOf } from './objects.js';
import type { Json } from '../tenant/graph-json.js';
import { isObject } from '../tenant/graph-json.js';
import { exclusionWords, targeting } from '../tenant/policy.js';

export interface BothStates {
  before: TenantReport;
  after: TenantReport;
  /** How many accounts were evaluated against the baseline (the rest share the proposed result). */
  reevaluated: number;
  /** Gaps matched by their sign-in, over the two engine states. */
  judge: GapJudge;
}

export function helpersFor(options: AuditOptions): ClassifyHelpers {
  const lower = (list: string[]) => new Set(list.map((u) => u.trim().toLowerCase()).filter(Boolean));
  return {
    servicePatterns: compileServicePatterns(options.serviceAccounts.patterns),
    breakGlass: lower(options.breakGlass),
    serviceUpns: lower(options.serviceAccounts.upns),
  };
}

/** Whether two snapshots hold the same objects of a kind (by id and canonical JSON). */
function sameObjects(a: Snapshot, b: Snapshot, kind: 'namedLocation' | 'authenticationStrength'): boolean {
  const text = (s: Snapshot) =>
    (objectsOf(s, kind) ?? [])
      .map((o) => `${idOf(o)}\u0000${canonical(o)}`)
      .sort()
      .join('\n');
  return text(a) === text(b);
}

/** Indexes (in `enabled`) of the enabled policies whose JSON is not the same in the other state. */
function changedIndexes(state: EngineState, other: EngineState): number[] {
  const otherById = new Map(other.policies.map((p) => [p.id.toLowerCase(), canonical(p.raw)]));
  const out: number[] = [];
  state.enabled.forEach((p, i) => {
    if (otherById.get(p.id.toLowerCase()) !== canonical(p.raw)) out.push(i);
  });
  return out;
}

/** A policy's JSON but its users condition, which an account's letter for the policy says all of. */
function beyondUsers(raw: Json): string {
  return canonical({ ...raw, conditions: isObject(raw.conditions) ? { ...raw.conditions, users: null } : null });
}

/**
 * The enabled policies the change touches, by index in each state. A policy enabled in both states whose only change
 * is whom it targets (its users condition) is `retargeted`: it acts the same on an account whose letter for it is the
 * same in both states, with the same words for an 'x' or 'm' (checked per account in `auditBothStates`).
 */
function changedPolicies(old: EngineState, now: EngineState) {
  const changedOld = changedIndexes(old, now);
  const changedNew = new Set(changedIndexes(now, old));
  const newIndex = new Map(now.enabled.map((p, j) => [p.id.toLowerCase(), j]));
  const retargeted: Array<[number, number]> = [];
  const before: number[] = [];
  for (const i of changedOld) {
    const p = old.enabled[i]!;
    const j = newIndex.get(p.id.toLowerCase());
    if (j !== undefined && changedNew.has(j) && beyondUsers(p.raw) === beyondUsers(now.enabled[j]!.raw)) {
      retargeted.push([i, j]);
      changedNew.delete(j);
    } else before.push(i);
  }
  return { before, after: [...changedNew], retargeted };
}

/** Audits the proposed state whole and the baseline where the change can matter. */
export function auditBothStates(baseline: Snapshot, proposed: Snapshot, options: AuditOptions): BothStates {
  const prepared = prepare(baseline);
  // An account re-evaluated against the baseline needs its signature twice in a row: computed once.
  let last: { id: string; signature: string } | undefined;
  const baselineSignature = (id: string, cls: Classification): string => {
    if (last?.id !== id) last = { id, signature: prepared.signatureOf(id, cls) };
    return last.signature;
  };
  const old: EngineState = { ...prepared, signatureOf: baselineSignature };
  // The proposed state shares the baseline's directory when only Conditional Access objects changed (plan).
  const now = prepare(proposed, old);
  const audited = auditPrepared(now, options);
  const after = audited.report;
  const shared = now.dir.users === old.dir.users;
  const everyone =
    !sameObjects(baseline, proposed, 'namedLocation') || !sameObjects(baseline, proposed, 'authenticationStrength');
  const changed = changedPolicies(old, now);
  const touched = (signature: string, indexes: number[]) => indexes.some((i) => signature[i] !== 'n');
  // A retargeted policy acts alike on an account with the same letter in both states and, when the letter carries
  // words (how the account is excluded, why it may be targeted), the same words.
  const retargetedAlike = (id: string, cls: Classification, sigOld: string, sigNew: string) =>
    changed.retargeted.every(([i, j]) => {
      const letter = sigOld[i];
      if (letter !== sigNew[j]) return false;
      if (letter === 'y' || letter === 'n') return true;
      const [p, q] = [old.enabled[i]!, now.enabled[j]!];
      if (letter === 'x') return exclusionWords(old.dir, p, id, cls) === exclusionWords(now.dir, q, id, cls);
      return targeting(old.dir, p, id, cls).notes.join('\n') === targeting(now.dir, q, id, cls).notes.join('\n');
    });
  const helpers = helpersFor(options);
  const afterById = shared ? undefined : new Map(after.accounts.map((a) => [a.id, a]));
  // With the directory shared, an account's classification is the same on both sides: made once.
  const classified = shared ? new Map<string, Classification>() : undefined;
  const { dir } = old;
  let reevaluated = 0;
  const evaluations: AccountEvaluation[] = dir.users.map((user, i) => {
    const mine = shared ? audited.evaluations[i] : undefined;
    const cls =
      mine?.cls ?? classify(dir, user, options, helpers.servicePatterns, helpers.breakGlass, helpers.serviceUpns);
    classified?.set(user.id, cls);
    const result = mine ? mine.result : afterById!.get(user.id);
    let same = result !== undefined && !everyone && dir.caPolicies !== undefined;
    if (same && !cls.exemptReason && dir.securityDefaults !== true) {
      const sigOld = baselineSignature(user.id, cls);
      const sigNew = mine?.signature ?? now.signatureOf(user.id, cls);
      same =
        !touched(sigOld, changed.before) &&
        !touched(sigNew, changed.after) &&
        retargetedAlike(user.id, cls, sigOld, sigNew) &&
        dir.perUser.get(user.id) !== 'enabled' &&
        signatureEntry(old, sigOld).result.verdict === signatureEntry(now, sigNew).result.verdict;
    }
    if (same) return { result: result!, cls, needsPerUserState: false };
    reevaluated++;
    return evaluateAccount(old, user, options, helpers, cls);
  });
  const accounts = evaluations.map((e) => e.result).sort(compareAccounts);
  const summary = { accounts: accounts.length, pass: 0, fail: 0, exempt: 0, unknown: 0 };
  for (const a of accounts) summary[a.verdict]++;
  const before: TenantReport = {
    tenantId: baseline.tenantId,
    generatedAt: options.now.toISOString(),
    summary,
    findings: tenantFindings(old, evaluations),
    accounts,
  };
  const judge = gapJudge(
    { snapshot: baseline, state: () => old },
    { snapshot: proposed, state: () => now },
    options,
    helpers,
    classified,
  );
  return { before, after, reevaluated, judge };
}
