/**
 * Conditional Access per account (evaluation.md §4). A policy is a "stopper" in a context when it applies there
 * and blocks or demands MFA on every alternative of its grant. A context where no stopper applies lets the account
 * in without MFA: a gap. Finding one is a search for one atom per dimension that switches every stopper off,
 * done depth-first with memoised dead ends, so it stays fast even when the full product of atoms is huge.
 *
 * Soundness under missing data: policies that *may* target the account (group members not collected, …) or that
 * *may* demand MFA (an authentication strength not collected) count as stoppers when looking for a certain gap
 * (then `fail` is proven) and do not count when looking for any gap at all (then `pass` is proven). Between the
 * two the account is `unknown`, and the reasons say what is missing.
 */
import type { ContextSpace } from './contexts.js';
import { exampleOf } from './contexts.js';
import type { Policy } from './policy.js';
import { doubtOf } from './policy.js';
import type { Gap } from './types.js';

/** Per enabled policy: 'y' applies, 'm' may apply, 'x' excludes the account, 'n' does not include it. */
export type Signature = string;

export interface Solution {
  /** Atom index per dimension; -1 = any atom of that dimension. */
  atoms: number[];
  /** The stoppers the search had to switch off. */
  stoppers: Policy[];
  possible: boolean;
}

export interface SignatureResult {
  verdict: 'pass' | 'fail' | 'unknown';
  solutions: Solution[];
  /** For pass: the policies that together cover every context. */
  covering: Policy[];
  /** For unknown: why (uncertain atoms, a search that hit its bound). */
  unknownReasons: string[];
  /** Number of search steps (for diagnostics). */
  steps: number;
}

const MAX_STEPS = 200_000;
const MAX_GAPS = 3;
/** Policies explained in a gap's words, and listed in its policyIds, at most. */
const MAX_GAP_WORDS = 6;
const MAX_GAP_POLICIES = 10;

export function isStopper(p: Policy, definite: boolean): boolean {
  return p.grant.block || p.grant.requiresMfa === 'yes' || (!definite && p.grant.requiresMfa === 'maybe');
}

interface SearchOutcome {
  solutions: Solution[];
  overflow: boolean;
  steps: number;
}

/** Sign-ins restricted to some atoms of one dimension (e.g. legacy clients only). */
export interface Restriction {
  dim: string;
  allowed: (atomIndex: number) => boolean;
}

/**
 * `possible` false: a proven gap — stoppers are switched off only where they surely do not apply, in atoms surely
 * possible. `possible` true: any gap under the most open reading — where they may not apply, in any atom.
 */
function search(
  space: ContextSpace,
  stoppers: Policy[],
  possible: boolean,
  maxSteps: number,
  restriction?: Restriction,
): SearchOutcome {
  const dims = space.dims;
  const allowUncertain = possible;
  const restricted = restriction ? dims.findIndex((d) => d.name === restriction.dim) : -1;
  // Bits are policy indices. Kill masks: the stoppers that do not apply in an atom.
  let full = 0n;
  for (const s of stoppers) full |= 1n << BigInt(s.index);
  const masksAll: bigint[][] = (possible ? space.notSure : space.notMatch).map((row) => row.map((m) => m & full));
  // Candidate classes per dimension: allowed atoms, one per distinct non-zero mask (first in preference order).
  const order: number[] = [];
  const classes: { atom: number; mask: bigint }[][] = [];
  dims.forEach((d, di) => {
    const seen = new Set<bigint>();
    const cls: { atom: number; mask: bigint }[] = [];
    d.atoms.forEach((atom, a) => {
      if (atom.uncertain && !allowUncertain) return;
      if (di === restricted && !restriction!.allowed(a)) return;
      const m = masksAll[di]![a]!;
      // In a restricted dimension every allowed atom is a candidate: the solution must name one.
      if ((m === 0n && di !== restricted) || seen.has(m)) return;
      seen.add(m);
      cls.push({ atom: a, mask: m });
    });
    if (cls.length > 0) {
      order.push(di);
      classes.push(cls);
    }
  });
  const reach: bigint[] = new Array<bigint>(order.length + 1).fill(0n);
  for (let k = order.length - 1; k >= 0; k--) {
    reach[k] = reach[k + 1]! | classes[k]!.reduce((acc, c) => acc | c.mask, 0n);
  }
  const raw: number[][] = [];
  const dead = new Set<string>();
  let steps = 0;
  let overflow = false;
  const chosen: number[] = new Array<number>(order.length).fill(-1);
  const dfs = (k: number, alive: bigint): boolean => {
    if (alive === 0n) {
      const atoms = new Array<number>(dims.length).fill(-1);
      for (let i = 0; i < k; i++) atoms[order[i]!] = chosen[i]!;
      raw.push(atoms);
      return true;
    }
    if (k === order.length || (alive & ~reach[k]!) !== 0n) return false;
    const key = `${k}:${alive.toString(36)}`;
    if (dead.has(key)) return false;
    if (++steps > maxSteps) {
      overflow = true;
      return false;
    }
    let found = false;
    for (const c of classes[k]!) {
      chosen[k] = c.atom;
      if (dfs(k + 1, alive & ~c.mask)) {
        found = true;
        if (raw.length >= MAX_GAPS * 3) break;
      }
      if (overflow) break;
    }
    chosen[k] = -1;
    if (!found && !overflow) dead.add(key);
    return found;
  };
  dfs(0, full);

  // Generalise: a chosen dimension whose atom is not needed to switch every stopper off becomes "any".
  const solutions: Solution[] = [];
  const keys = new Set<string>();
  for (const atoms of raw) {
    for (let di = 0; di < dims.length; di++) {
      if (atoms[di] === -1 || di === restricted) continue;
      let killed = 0n;
      for (let dj = 0; dj < dims.length; dj++) {
        if (dj !== di && atoms[dj] !== -1) killed |= masksAll[dj]![atoms[dj]!]!;
      }
      if ((full & ~killed) === 0n) atoms[di] = -1;
    }
    if (restricted >= 0 && atoms[restricted] === -1) {
      const first = dims[restricted]!.atoms.findIndex(
        (atom, a) => restriction!.allowed(a) && (allowUncertain || !atom.uncertain),
      );
      if (first < 0) continue;
      atoms[restricted] = first;
    }
    const key = atoms.join(',');
    if (keys.has(key)) continue;
    keys.add(key);
    solutions.push({ atoms, stoppers, possible });
    if (solutions.length >= MAX_GAPS) break;
  }
  return { solutions, overflow, steps };
}

/** A policy that matches no atom of some dimension (e.g. user actions only) applies to no sign-in at all. */
export function appliesSomewhere(space: ContextSpace, p: Policy): boolean {
  return space.dims.every((d) => d.match.some((row) => row[p.index]));
}

export function evaluateSignature(
  space: ContextSpace,
  enabled: Policy[],
  signature: Signature,
  maxSteps = MAX_STEPS,
  restriction?: Restriction,
): SignatureResult {
  const definite: Policy[] = [];
  const possibleStoppers: Policy[] = [];
  const doubtful: Policy[] = [];
  enabled.forEach((p, i) => {
    const a = signature[i];
    if (a !== 'y' && a !== 'm') return;
    if (!isStopper(p, false) || !appliesSomewhere(space, p)) return;
    possibleStoppers.push(p);
    if (a !== 'y' || !isStopper(p, true)) return;
    // A policy with a condition mfa-audit does not model may apply nowhere: it never proves a pass.
    if (doubtOf(p, 'policy').narrow) doubtful.push(p);
    else definite.push(p);
  });
  // 1. A gap that exists whatever the missing data says, in contexts surely possible: fail.
  const proven = search(space, possibleStoppers, false, maxSteps, restriction);
  if (proven.solutions.length > 0) {
    return { verdict: 'fail', solutions: proven.solutions, covering: [], unknownReasons: [], steps: proven.steps };
  }
  // 2. No gap even in the most open reading: pass.
  const open = search(space, definite, true, maxSteps, restriction);
  const steps = proven.steps + open.steps;
  const unknownReasons: string[] = [];
  // Dimensions whose atoms could not all be listed: the missing atoms are harmless when the policies that do not
  // depend on those dimensions already leave no gap by themselves.
  const incomplete = space.dims.filter((d) => d.incomplete && definite.some(d.incomplete.affects));
  if (incomplete.length > 0) {
    const independent = definite.filter((p) => !incomplete.some((d) => d.incomplete!.affects(p)));
    const alone = search(space, independent, true, maxSteps, restriction);
    if (alone.solutions.length > 0 || alone.overflow)
      unknownReasons.push(...incomplete.map((d) => d.incomplete!.reason));
  }
  if (open.overflow) {
    unknownReasons.push(
      `the sign-in contexts were too many to search completely (more than ${maxSteps} steps); simplify the policy set or report it`,
    );
  }
  if (open.solutions.length === 0 && unknownReasons.length === 0) {
    return { verdict: 'pass', solutions: [], covering: definite, unknownReasons, steps };
  }
  const add = (reason: string) => {
    if (!unknownReasons.includes(reason)) unknownReasons.push(reason);
  };
  for (const s of open.solutions) {
    for (let di = 0; di < space.dims.length; di++) {
      const a = s.atoms[di]!;
      const u = a >= 0 ? space.dims[di]!.atoms[a]!.uncertain : undefined;
      if (u) add(u);
      // A stopper switched off only by a doubt (it may, not surely, leave this atom out): name what is not modelled.
      if (a < 0) continue;
      const dim = space.dims[di]!;
      for (const p of definite) {
        const bit = 1n << BigInt(p.index);
        if ((space.notSure[di]![a]! & bit) !== 0n && (space.notMatch[di]![a]! & bit) === 0n) {
          const d = doubtOf(p, dim.name);
          add(
            `policy '${p.name}' may not apply to ${dim.atoms[a]!.label}: ${d.narrow ?? d.widen ?? doubtOf(p, 'policy').widen ?? 'a value mfa-audit does not model'}`,
          );
        }
      }
    }
  }
  for (const p of doubtful) add(`policy '${p.name}' may not apply at all: ${doubtOf(p, 'policy').narrow!}`);
  return { verdict: 'unknown', solutions: open.solutions, covering: [], unknownReasons, steps };
}

export interface GapWords {
  /** Policies that would stop the account but exclude it: policy → how (e.g. "excludes group 'X'"). */
  exclusions: { policy: Policy; words: string }[];
  /** Applicable policies whose grant can be met without MFA. */
  satisfiable: Policy[];
}

function firstCertainAtom(space: ContextSpace, di: number): number {
  const atoms = space.dims[di]!.atoms;
  const i = atoms.findIndex((a) => !a.uncertain);
  return i < 0 ? 0 : i;
}

/** A gap in words, with the policies involved and a concrete sign-in that reproduces it. */
export function describeGap(space: ContextSpace, solution: Solution, words: GapWords): Gap {
  const dims = space.dims;
  const concrete = solution.atoms.map((a, di) => (a >= 0 ? a : firstCertainAtom(space, di)));
  const example = exampleOf(concrete.map((a, di) => dims[di]!.atoms[a]!));
  const label = (name: string): string | undefined => {
    const di = dims.findIndex((d) => d.name === name);
    const a = solution.atoms[di]!;
    return a >= 0 ? dims[di]!.atoms[a]!.label : undefined;
  };
  const client = label('clientAppType');
  const app = label('application');
  const loc = label('location');
  const rest: string[] = [];
  const platform = label('platform');
  rest.push(platform ? `on ${platform}` : 'any platform');
  const risks = ['signInRisk', 'userRisk', 'insiderRisk'].map(label).filter((x): x is string => x !== undefined);
  rest.push(risks.length ? risks.join(', ') : 'any risk');
  const deviceState = label('deviceState');
  if (deviceState) rest.push(deviceState);
  for (const d of dims)
    if (d.name.startsWith('deviceFilter:')) {
      const l = label(d.name);
      if (l) rest.push(l);
    }
  const flow = label('authenticationFlow');
  if (flow) rest.push(flow);
  const everything = solution.atoms.every((a) => a < 0);
  const context = everything
    ? 'any sign-in'
    : `${client ?? 'any'} sign-in to ${app ?? 'any app'} from ${loc ?? 'any location'} (${rest.join(', ')})`;

  // Exclusions first (they are what opens a gap), then policies whose conditions leave the context out, then the
  // ones that can be met without MFA.
  type Involved = { id: string; text: string; excluded: boolean };
  const excludedItems: Involved[] = [];
  const conditionItems: Involved[] = [];
  const satisfiableItems: Involved[] = [];
  for (const e of words.exclusions)
    excludedItems.push({ id: e.policy.id, text: `policy '${e.policy.name}' ${e.words}`, excluded: true });
  for (const s of solution.stoppers) {
    for (let di = 0; di < dims.length; di++) {
      const a = solution.atoms[di]!;
      if (a < 0) continue;
      const sure = dims[di]!.sure ?? dims[di]!.match;
      if (!sure[a]![s.index]) {
        const d = doubtOf(s, dims[di]!.name);
        const w = dims[di]!.match[a]![s.index]
          ? `may not apply here (${d.narrow ?? d.widen ?? 'a value mfa-audit does not model'})`
          : dims[di]!.why(s, dims[di]!.atoms[a]!);
        (w.startsWith('excludes') ? excludedItems : conditionItems).push({
          id: s.id,
          text: `policy '${s.name}' ${w}`,
          excluded: w.startsWith('excludes'),
        });
        break;
      }
    }
  }
  for (const p of words.satisfiable) {
    if (!dims.every((d, di) => d.match[concrete[di]!]![p.index])) continue;
    satisfiableItems.push({
      id: p.id,
      text: `policy '${p.name}' can be satisfied without MFA (${p.grant.withoutMfa.join(' or ')})`,
      excluded: false,
    });
  }
  const involved = [...excludedItems, ...conditionItems, ...satisfiableItems];
  // Large policy sets: the words name the first few, policyIds the first MAX_GAP_POLICIES (readable reports of a
  // reasonable size even when 100,000 accounts fail through dozens of policies).
  const shown = involved.slice(0, MAX_GAP_WORDS).map((i) => i.text);
  if (involved.length > MAX_GAP_WORDS) shown.push(`and ${involved.length - MAX_GAP_WORDS} more policies`);
  if (solution.stoppers.length === 0 && words.exclusions.length === 0) {
    shown.unshift('no enabled Conditional Access policy that requires MFA or blocks applies to the account');
  }
  const allIds = [...new Set(involved.map((i) => i.id))];
  const ids = allIds.length > MAX_GAP_POLICIES ? allIds.slice(0, MAX_GAP_POLICIES) : allIds;
  const excludedBy = [...new Set(excludedItems.map((i) => i.id))].filter((id) => ids.includes(id));
  return {
    description: `${solution.possible ? 'possibly: ' : ''}${context}: ${shown.join('; ')}`,
    policyIds: ids,
    example,
    ...(solution.possible ? { possible: true } : {}),
    ...(excludedBy.length ? { excludedBy } : {}),
    ...(allIds.length > MAX_GAP_POLICIES ? { policiesInvolved: allIds.length } : {}),
  };
}
