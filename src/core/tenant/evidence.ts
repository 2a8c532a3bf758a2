/**
 * Evidence from Entra itself (evaluation.md §9), applied after the engine's verdicts: Conditional Access What If
 * answers first, then sign-ins. Each is read only when its snapshot key is present; absent keys change nothing.
 */
import { GRAPH_KEYS } from '../snapshot.js';
import { toEnd } from '../steps.js';
import type { AccountEvaluation, EngineState } from './engine-types.js';
import { compareAccounts } from './account-order.js';
import { isObject } from './graph-json.js';
import type { Finding, TenantReport } from './types.js';
import type { PlanItem, WhatIfOptions } from './what-if-plan.js';
import { applyWhatIf, planFrom } from './what-if-plan.js';
import { canonicalJson } from './what-if.js';
import { applySignIns, lastPolicyChange, readSignIns } from './sign-in-evidence.js';

export interface EvidenceOutcome {
  findings: Finding[];
  whatIf?: TenantReport['whatIf'];
  signIns?: TenantReport['signIns'];
}

/** The What If answers of the snapshot: canonical request JSON → response. Undefined when not collected. */
function whatIfAnswers(graph: Record<string, unknown>): Map<string, unknown> | undefined {
  const raw = graph[GRAPH_KEYS.conditionalAccessEvaluate];
  if (!Array.isArray(raw)) return undefined;
  const out = new Map<string, unknown>();
  for (const entry of raw) {
    if (isObject(entry) && isObject(entry.request)) out.set(canonicalJson(entry.request), entry.response);
  }
  return out;
}

/** The engine's results in report order, with the signature each shares (undefined when CA does not decide it). */
function planItems(state: EngineState, evaluations: AccountEvaluation[]): PlanItem[] {
  return toEnd(planItemsInSteps(state, evaluations));
}

/** `planItems` as steps (see planWhatIfInSteps). */
export function* planItemsInSteps(
  state: EngineState,
  evaluations: AccountEvaluation[],
): Generator<void, PlanItem[], void> {
  const usesCa = state.dir.caPolicies !== undefined && state.dir.securityDefaults !== true;
  const sorted = [...evaluations].sort((a, b) => compareAccounts(a.result, b.result));
  yield;
  const items: PlanItem[] = [];
  for (const e of sorted) {
    items.push({
      result: e.result,
      // The signature the evaluation computed (the same function of the same state), else computed here.
      signature:
        usesCa && e.result.verdict !== 'exempt' ? (e.signature ?? state.signatureOf(e.result.id, e.cls)) : undefined,
    });
    if (items.length % 2000 === 0) yield;
  }
  return items;
}

/** Applies the collected evidence to the evaluations' results (mutating them) and returns what the report adds. */
export function applyEvidence(
  state: EngineState,
  evaluations: AccountEvaluation[],
  options: WhatIfOptions = {},
): EvidenceOutcome {
  const out: EvidenceOutcome = { findings: [] };
  const answers = whatIfAnswers(state.dir.snapshot.graph);
  const signIns = readSignIns(state.dir.snapshot);
  if (!answers && !signIns) return out;
  const items = planItems(state, evaluations);
  const accounts = items.map((i) => i.result);
  if (answers) {
    const plan = planFrom(state, items, options);
    const applied = applyWhatIf(state, plan, answers, new Map(accounts.map((a) => [a.id, a])));
    out.whatIf = applied.summary;
    out.findings.push(...applied.findings);
  }
  if (signIns) {
    out.signIns = { window: signIns.window, truncated: signIns.truncated };
    out.findings.push(...applySignIns(signIns, accounts, lastPolicyChange(state.enabled)));
  }
  return out;
}
