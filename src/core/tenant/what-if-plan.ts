/**
 * Which What If requests a report needs, and what their answers do to it (evaluation.md §9). One request per
 * distinct gap of a signature (accounts that every policy treats alike share the answer), asked for the group's first
 * account in report order; plus spot-checks of passing signatures: the contexts that one policy alone covers, the
 * closest a pass comes to a gap. The plan is a pure function of the engine's results, so an offline audit of a saved
 * snapshot plans the same requests and finds the same answers by their canonical JSON.
 */
import type { AccountResult, Finding, Gap, GapConfirmation, SignInExample, WhatIfSummary } from './types.js';
import type { EngineState } from './engine-types.js';
import { describeGap, evaluateSignature } from './ca.js';
import { signatureEntry } from './evaluate.js';
import type { WhatIfContext, WhatIfRequest } from './what-if.js';
import { canonicalJson, interpretWhatIf, whatIfKey, whatIfRequestFor } from './what-if.js';

export interface WhatIfOptions {
  /** Spot-checks of passing signatures, at most (default 20). */
  spotChecks?: number;
  /** Gap requests, at most (default 200): the gaps shared by the most accounts first. */
  maxGapRequests?: number;
}

const DEFAULT_SPOT_CHECKS = 20;
const DEFAULT_MAX_GAP_REQUESTS = 200;

export interface PlannedWhatIf {
  /** The canonical JSON of `request`: how the answer is found in the snapshot. */
  key: string;
  request: WhatIfRequest;
  kind: 'gap' | 'spot-check';
  /** The account ids the answer speaks for (report order; the request names the first). */
  accounts: string[];
  /** The gap's description, or for a spot-check the covered context and the one policy that covers it. */
  description: string;
  /** Canonical JSON of the example sign-in (for a gap: which of the accounts' gaps the answer is about). */
  exampleKey: string;
}

export interface WhatIfPlan {
  requests: PlannedWhatIf[];
  /** Gaps whose example cannot be put to What If, or that are beyond the budget: why, and for whom. */
  unasked: { exampleKey: string; accounts: string[]; status: 'not-checkable' | 'inconclusive'; reason: string }[];
}

/** One account as the planner sees it: its result before evidence, and its signature (undefined: CA not used). */
export interface PlanItem {
  result: AccountResult;
  signature: string | undefined;
}

const exampleKeys = new WeakMap<SignInExample, string>();
function exampleKeyOf(example: SignInExample): string {
  let k = exampleKeys.get(example);
  if (k === undefined) exampleKeys.set(example, (k = canonicalJson(example)));
  return k;
}

interface Group {
  signature: string;
  accounts: AccountResult[];
  gap?: Gap;
  example: SignInExample;
  description: string;
}

function gapGroups(items: PlanItem[]): Group[] {
  const groups = new Map<string, Group>();
  for (const { result, signature } of items) {
    const verdict = result.engineVerdict ?? result.verdict;
    if (signature === undefined || verdict === 'pass' || verdict === 'exempt') continue;
    for (const gap of result.gaps) {
      if (!gap.example || gap.possible) continue;
      const key = `${signature}\u0000${exampleKeyOf(gap.example)}`;
      const group = groups.get(key);
      if (group) {
        if (group.accounts[group.accounts.length - 1] !== result) group.accounts.push(result);
      } else {
        groups.set(key, { signature, accounts: [result], gap, example: gap.example, description: gap.description });
      }
    }
  }
  // The gaps of the most accounts first; ties keep report order (Array.prototype.sort is stable).
  return [...groups.values()].sort((a, b) => b.accounts.length - a.accounts.length);
}

function exampleWords(e: SignInExample): string {
  const app = e.application.appId ?? (e.application.office365 ? 'an Office 365 app' : 'an app no policy names');
  return `${e.clientAppType} sign-in to ${app} on ${e.platform}`;
}

/** Spot-checks: per passing signature, the contexts covered by one policy alone (round-robin over signatures). */
function spotChecks(state: EngineState, items: PlanItem[], budget: number): Group[] {
  const bySignature = new Map<string, AccountResult[]>();
  for (const { result, signature } of items) {
    const verdict = result.engineVerdict ?? result.verdict;
    if (signature === undefined || verdict !== 'pass' || !result.mechanisms.includes('conditional-access')) continue;
    let list = bySignature.get(signature);
    if (!list) bySignature.set(signature, (list = []));
    list.push(result);
  }
  const passing = [...bySignature.entries()].sort((a, b) => b[1].length - a[1].length);
  const out: Group[] = [];
  // Each try is one search; tries that find no context (another policy covers it too) are bounded as well.
  let tries = budget * 5;
  for (let round = 0; out.length < budget && tries > 0; round++) {
    let any = false;
    for (const [signature, accounts] of passing) {
      if (out.length >= budget) break;
      const covering = signatureEntry(state, signature).result.covering;
      const only = covering[round];
      if (!only) continue;
      any = true;
      if (tries-- <= 0) break;
      const i = state.enabled.indexOf(only);
      const without = signature.slice(0, i) + 'n' + signature.slice(i + 1);
      const sr = evaluateSignature(state.space, state.enabled, without);
      if (sr.verdict !== 'fail' || !sr.solutions[0]) continue;
      const { example } = describeGap(state.space, sr.solutions[0], { exclusions: [], satisfiable: [] });
      out.push({
        signature,
        accounts,
        example: example!,
        description: `${exampleWords(example!)}: only policy '${only.name}' demands MFA or blocks there`,
      });
    }
    if (!any) break;
  }
  return out;
}

/** The What If requests for the engine's results (items in report order). */
export function planFrom(state: EngineState, items: PlanItem[], options: WhatIfOptions = {}): WhatIfPlan {
  const ctx: WhatIfContext = { namedLocations: state.dir.namedLocations, policies: state.enabled };
  const plan: WhatIfPlan = { requests: [], unasked: [] };
  const max = options.maxGapRequests ?? DEFAULT_MAX_GAP_REQUESTS;
  const add = (g: Group, kind: PlannedWhatIf['kind']): void => {
    const exampleKey = exampleKeyOf(g.example);
    const accounts = g.accounts.map((a) => a.id);
    const built = whatIfRequestFor(g.accounts[0]!, g.example, ctx);
    if ('notCheckable' in built) {
      if (kind === 'gap')
        plan.unasked.push({ exampleKey, accounts, status: 'not-checkable', reason: built.notCheckable });
      return;
    }
    if (kind === 'gap' && plan.requests.length >= max) {
      plan.unasked.push({
        exampleKey,
        accounts,
        status: 'inconclusive',
        reason: `not asked: beyond the What If budget of ${max} requests`,
      });
      return;
    }
    const { request } = built;
    plan.requests.push({ key: whatIfKey(request), request, kind, accounts, description: g.description, exampleKey });
  };
  for (const g of gapGroups(items)) add(g, 'gap');
  for (const g of spotChecks(state, items, options.spotChecks ?? DEFAULT_SPOT_CHECKS)) add(g, 'spot-check');
  return plan;
}

/** Puts a confirmation on the account's gaps with this example (copy on write: gap lists are shared). */
function confirm(result: AccountResult, exampleKey: string, c: GapConfirmation, copies: Map<Gap[], Gap[]>): void {
  let gaps = copies.get(result.gaps);
  if (!gaps) {
    gaps = [...result.gaps];
    copies.set(result.gaps, gaps);
    copies.set(gaps, gaps);
  }
  gaps.forEach((g, i) => {
    if (g.example && exampleKeyOf(g.example) === exampleKey) gaps[i] = { ...g, confirmation: c };
  });
  result.gaps = gaps;
}

function emptySummary(plan: WhatIfPlan): WhatIfSummary {
  const gapRequests = plan.requests.filter((r) => r.kind === 'gap').length;
  return {
    requests: gapRequests,
    answered: 0,
    confirmed: 0,
    disputed: 0,
    inconclusive: plan.unasked.filter((u) => u.status === 'inconclusive').length,
    notCheckable: plan.unasked.filter((u) => u.status === 'not-checkable').length,
    spotChecks: { requests: plan.requests.length - gapRequests, confirmed: 0, disputed: 0, inconclusive: 0 },
  };
}

/** Marks an account `unknown` because mfa-audit and Entra disagree, keeping both answers in its reasons. */
function disagree(result: AccountResult, ours: string, entra: string): void {
  if (result.verdict === 'fail' || result.verdict === 'pass') {
    result.engineVerdict ??= result.verdict;
    result.verdict = 'unknown';
  }
  result.reasons.push(
    `mfa-audit and Entra disagree on this sign-in. mfa-audit: ${ours}. Entra: ${entra}. Undecided until the ` +
      'difference is understood (compare the policies with the What If tool in the Entra admin center).',
  );
}

/**
 * Applies the answers (canonical request JSON → Graph's response) to the accounts of the plan: gaps get their
 * confirmation; a disputed gap or a contradicted spot-check makes the accounts `unknown` (never `pass`), with a
 * `what-if-disagrees` finding per request.
 */
export function applyWhatIf(
  state: EngineState,
  plan: WhatIfPlan,
  answers: Map<string, unknown>,
  byId: Map<string, AccountResult>,
): { summary: WhatIfSummary; findings: Finding[] } {
  const summary = emptySummary(plan);
  const findings: Finding[] = [];
  const copies = new Map<Gap[], Gap[]>();
  for (const u of plan.unasked)
    for (const id of u.accounts) confirm(byId.get(id)!, u.exampleKey, { status: u.status, reason: u.reason }, copies);
  for (const r of plan.requests) {
    const expect = r.kind === 'gap' ? 'gap' : 'covered';
    const response = answers.get(r.key);
    if (response !== undefined && r.kind === 'gap') summary.answered++;
    const interp =
      response === undefined
        ? { status: 'inconclusive' as const, reason: 'no What If answer for this sign-in in the snapshot' }
        : interpretWhatIf(r.request, response, state.enabled, expect);
    const counts = r.kind === 'gap' ? summary : summary.spotChecks;
    counts[interp.status]++;
    const accounts = r.accounts.map((id) => byId.get(id)!);
    if (r.kind === 'gap') {
      const c: GapConfirmation = { status: interp.status, reason: interp.reason };
      if ('answer' in interp && interp.answer) c.entra = interp.answer;
      for (const a of accounts) confirm(a, r.exampleKey, c, copies);
    }
    if (interp.status !== 'disputed') continue;
    const ours = r.kind === 'gap' ? `a gap: ${r.description}` : `covered: ${r.description}`;
    const affected = r.kind === 'gap' ? accounts : accounts.filter((a) => a.verdict === 'pass');
    for (const a of affected) disagree(a, ours, interp.reason);
    findings.push({
      id: 'what-if-disagrees',
      severity: 'high',
      message:
        `mfa-audit and Entra's What If disagree for ${affected.length} account${affected.length === 1 ? '' : 's'} ` +
        `(asked for ${accounts[0]?.userPrincipalName || r.accounts[0]}): mfa-audit says ${ours}; ${interp.reason}. ` +
        'These accounts are unknown until the difference is understood.',
      accountIds: affected.map((a) => a.id),
      ...('answer' in interp && interp.answer?.stoppers.length ? { policyIds: interp.answer.stoppers } : {}),
    });
  }
  return { summary, findings };
}
