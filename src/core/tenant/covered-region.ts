/**
 * The sign-ins one policy of another state may apply to, searched in this state: is there one that no policy here
 * surely covers? A gap list shows a few gaps, not every sign-in that gets through; when a change removes or edits a
 * policy that covered an account, this finds the sign-ins it covered that now get through even when the listed gaps
 * do not show them. The policy joins this state's sign-in contexts (so its conditions cut the atoms like any other),
 * and the search is the engine's: stoppers switched off where they may not apply (the open reading, so nothing is
 * missed), over the atoms where the policy may apply.
 */
import type { Solution } from './ca.js';
import { describeGap, isStopper } from './ca.js';
import { buildContextSpace } from './contexts.js';
import type { EngineState } from './engine-types.js';
import { signatureEntry } from './evaluate.js';
import type { Policy } from './policy.js';
import { doubtOf } from './policy.js';
import type { OtherMechanisms } from './sign-in-check.js';
import type { Gap } from './types.js';

export interface UncoveredSignIn {
  gap: Gap;
  /** True when this state surely lets the sign-in through (no stopper may apply; every atom surely exists). */
  through: boolean;
  /** The state whose contexts the gap's example was made in (this state's, cut by the policy too). */
  origin: EngineState;
}

const MAX_STEPS = 50_000;

const joined = new WeakMap<EngineState, Map<Policy, EngineState>>();

/** This state with the other state's policy added (as the last policy), for its sign-in contexts. */
function withPolicy(state: EngineState, policy: Policy): EngineState {
  let byPolicy = joined.get(state);
  if (!byPolicy) joined.set(state, (byPolicy = new Map<Policy, EngineState>()));
  let out = byPolicy.get(policy);
  if (!out) {
    const added: Policy = { ...policy, index: state.policies.length };
    const enabled = [...state.enabled, added];
    out = { ...state, enabled, space: buildContextSpace(state.dir, enabled), cache: new Map() };
    byPolicy.set(policy, out);
  }
  return out;
}

function isLegacyAtom(patch: { clientAppType?: string }): boolean {
  return patch.clientAppType === 'exchangeActiveSync' || patch.clientAppType === 'other';
}

/**
 * A sign-in `policy` (of another state) may apply to that gets through here for an account with this signature and
 * these other mechanisms; undefined when there is none; 'unsure' when the search cannot tell.
 */
export function uncoveredWithin(
  state: EngineState,
  signature: string,
  others: OtherMechanisms,
  policy: Policy,
): UncoveredSignIn | undefined | 'unsure' {
  if (others === 'all') return undefined;
  if (!state.dir.caPolicies) return 'unsure';
  if (signatureEntry(state, signature).result.verdict === 'pass') return undefined;
  const origin = withPolicy(state, policy);
  const { space } = origin;
  const bit = 1n << BigInt(state.policies.length);
  // Per dimension, the atoms the policy may apply to (legacy clients only when per-user MFA covers the rest),
  // atoms that surely exist first.
  const candidates: number[][] = [];
  for (let di = 0; di < space.dims.length; di++) {
    const dim = space.dims[di]!;
    if (dim.incomplete) return 'unsure';
    const atoms = dim.atoms
      .map((atom, a) => ({ atom, a }))
      .filter(({ a }) => (space.notMatch[di]![a]! & bit) === 0n)
      .filter(({ atom }) => others !== 'modern' || dim.name !== 'clientAppType' || isLegacyAtom(atom.patch))
      .sort((x, y) => Number(x.atom.uncertain !== undefined) - Number(y.atom.uncertain !== undefined))
      .map(({ a }) => a);
    if (atoms.length === 0) return undefined;
    candidates.push(atoms);
  }
  let definite = 0n;
  const stoppers: Policy[] = [];
  state.enabled.forEach((p, i) => {
    const letter = signature[i];
    if ((letter !== 'y' && letter !== 'm') || !isStopper(p, false)) return;
    stoppers.push(p);
    if (letter === 'y' && isStopper(p, true) && !doubtOf(p, 'policy').narrow) definite |= 1n << BigInt(p.index);
  });
  // As the engine's search: per dimension one candidate per distinct kill mask (over the definite stoppers), and a
  // branch ends as soon as a stopper is left that no later dimension can switch off.
  const classes = candidates.map((atoms, di) => {
    const seen = new Set<bigint>();
    return atoms.filter((a) => {
      const m = space.notSure[di]![a]! & definite;
      if (seen.has(m)) return false;
      seen.add(m);
      return true;
    });
  });
  const reach: bigint[] = new Array<bigint>(classes.length + 1).fill(0n);
  for (let k = classes.length - 1; k >= 0; k--) {
    reach[k] = classes[k]!.reduce((acc, a) => acc | (space.notSure[k]![a]! & definite), reach[k + 1]!);
  }
  const chosen: number[] = candidates.map((atoms) => atoms[0]!);
  const dead = new Set<string>();
  let steps = 0;
  let overflow = false;
  const find = (k: number, alive: bigint): boolean => {
    if (alive === 0n) return true;
    if (k === classes.length || (alive & ~reach[k]!) !== 0n) return false;
    const key = `${k}:${alive.toString(36)}`;
    if (dead.has(key)) return false;
    if (++steps > MAX_STEPS) {
      overflow = true;
      return false;
    }
    for (const a of classes[k]!) {
      chosen[k] = a;
      if (find(k + 1, alive & ~space.notSure[k]![a]!)) return true;
      if (overflow) return false;
    }
    chosen[k] = candidates[k]![0]!;
    dead.add(key);
    return false;
  };
  if (!find(0, definite)) return overflow ? 'unsure' : undefined;
  const solution: Solution = { atoms: [...chosen], stoppers, possible: false };
  const gap = describeGap(space, solution, { exclusions: [], satisfiable: [] });
  const surelyOff = (p: Policy) => chosen.some((a, di) => (space.notMatch[di]![a]! & (1n << BigInt(p.index))) !== 0n);
  const through =
    stoppers.every(surelyOff) && chosen.every((a, di) => space.dims[di]!.atoms[a]!.uncertain === undefined);
  return { gap, through, origin };
}
