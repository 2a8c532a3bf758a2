/**
 * What every sign-in dimension is made of (evaluation.md §4.2): atoms, which policies match each, and the readers
 * of a policy's conditions that the dimensions share.
 */
import type { Json } from './graph-json.js';
import { isObject } from './graph-json.js';
import type { Policy } from './policy.js';
import type { SignInExample } from './types.js';

export interface Atom {
  label: string;
  uncertain?: string;
  /** The part of a concrete sign-in this atom fixes. */
  patch: Partial<SignInExample>;
}

export interface Dimension {
  name: string;
  /** Label when every atom is allowed ("any platform"). */
  anyLabel: string;
  atoms: Atom[];
  /**
   * match[atom][policy.index]: whether the policy's condition in this dimension may include the atom. Where it may
   * but need not (a value mfa-audit does not model), `sure` says false; without `sure`, match is certain.
   */
  match: boolean[][];
  sure?: boolean[][];
  /** Why a policy does not apply in an atom, in words (for gaps). */
  why: (policy: Policy, atom: Atom) => string;
  /**
   * Set when the atoms could not all be enumerated: then no account whose covering policies depend on this
   * dimension (`affects`) can be proven to pass.
   */
  incomplete?: { reason: string; affects: (policy: Policy) => boolean };
}

/** The policy's conditions (an empty object when it has none). */
export function cond(p: Policy): Json {
  return isObject(p.raw.conditions) ? p.raw.conditions : {};
}

/** One condition of the policy (`locations`, `platforms`, …), when it is set. */
export function sub(p: Policy, key: string): Json | undefined {
  const c = cond(p)[key];
  return isObject(c) ? c : undefined;
}

export function list(values: string[]): string {
  return values.join(', ');
}

/** A dimension's match row for one atom: indexed by `policy.index`. */
export function policiesMatch(policies: Policy[], fn: (p: Policy) => boolean): boolean[] {
  const out: boolean[] = [];
  for (const p of policies) out[p.index] = fn(p);
  return out;
}
