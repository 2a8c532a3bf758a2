/**
 * Whether a gap of one state is new in the other, decided by what it is, not by its words: the gap's sign-in (its
 * `example`) checked against the other state's policies for the same account (core/tenant/sign-in-check.ts). Used
 * when both states are engine states (plan; diff of two snapshots). Answers are cached per signature, other
 * mechanisms and example, so the accounts of one signature cost one check per gap.
 */
import type { Snapshot } from '../snapshot.js';
import type { Classification, ClassifyOptions } from '../tenant/classify.js';
import { classify } from '../tenant/classify.js';
import { perUserMfaState } from '../tenant/directory.js';
import type { ClassifyHelpers, EngineState } from '../tenant/engine-types.js';
import type { OtherMechanisms, SignInCoverage } from '../tenant/sign-in-check.js';
import { coversSignIn } from '../tenant/sign-in-check.js';
import { uncoveredWithin } from '../tenant/covered-region.js';
import { isStopper } from '../tenant/ca.js';
import type { Policy } from '../tenant/policy.js';
import type { Gap, SignInExample } from '../tenant/types.js';
import { canonical } from './object-diff.js';
import { idOf, objectsOf } from './objects.js';

export type Side = 'before' | 'after';

export interface GapJudge {
  /** What accounts that share a pair of gap lists may still differ in (their per-user MFA states). */
  variantOf(accountId: string): string;
  /** Whether the sign-in of `gap`, a gap of the other side, is covered for the account on `side`. */
  coverageOn(side: Side, accountId: string, gap: Gap): SignInCoverage;
  /**
   * Sign-ins that policies which may have covered the account before (and are gone, edited, or no longer apply to
   * it the same way) covered, and that get through now: what the listed gaps of the new side may not show.
   */
  lostCoverage(accountId: string): Array<{ gap: Gap; undecided: boolean }>;
}

export interface JudgedState {
  snapshot: Snapshot;
  /** The engine state of the snapshot, prepared only when a gap is checked. */
  state: () => EngineState;
}

/** Whether both snapshots hold the same named locations (by id and canonical JSON). */
function sameNamedLocations(a: Snapshot, b: Snapshot): boolean {
  const text = (s: Snapshot) =>
    (objectsOf(s, 'namedLocation') ?? [])
      .map((o) => `${idOf(o)}\u0000${canonical(o)}`)
      .sort()
      .join('\n');
  return text(a) === text(b);
}

interface Subject {
  signature: string;
  others: OtherMechanisms;
}

export function gapJudge(
  before: JudgedState,
  after: JudgedState,
  options: ClassifyOptions,
  helpers: ClassifyHelpers,
  /** Classifications that hold on both sides (the two states share a directory), by account id. */
  classified?: ReadonlyMap<string, Classification>,
): GapJudge {
  const prepared: Partial<Record<Side, EngineState>> = {};
  const stateOf = (side: Side): EngineState => (prepared[side] ??= (side === 'before' ? before : after).state());
  const sameLocations = sameNamedLocations(before.snapshot, after.snapshot);
  const subjects: Record<Side, Map<string, Subject | 'exempt' | 'absent'>> = { before: new Map(), after: new Map() };
  const answers = new Map<string, SignInCoverage>();
  const exampleKeys = new WeakMap<SignInExample, string>();
  const perUser = (side: Side, id: string) => perUserMfaState(stateOf(side).dir, id);

  /** Mechanisms besides Conditional Access; a per-user state that is the same on both sides cancels out. */
  const othersOf = (side: Side, id: string): OtherMechanisms => {
    if (stateOf(side).dir.securityDefaults === true) return 'all';
    const state = perUser(side, id);
    if (state === 'enforced') return 'all';
    if (state === 'enabled') return 'modern';
    if (state === 'disabled') return 'none';
    return state === perUser(side === 'before' ? 'after' : 'before', id) ? 'none' : 'unknown';
  };

  const subjectOf = (side: Side, id: string): Subject | 'exempt' | 'absent' => {
    let s = subjects[side].get(id);
    if (s !== undefined) return s;
    const state = stateOf(side);
    const user = state.dir.userById.get(id);
    if (!user) s = 'absent';
    else {
      const cls =
        classified?.get(id) ??
        classify(state.dir, user, options, helpers.servicePatterns, helpers.breakGlass, helpers.serviceUpns);
      s = cls.exemptReason ? 'exempt' : { signature: state.signatureOf(id, cls), others: othersOf(side, id) };
    }
    subjects[side].set(id, s);
    return s;
  };

  const canonicalText = new Map<Policy, string>();
  const canonicalOf = (p: Policy): string => canonicalText.get(p) ?? canonicalText.set(p, canonical(p.raw)).get(p)!;
  /** Whether policy `i` of the old side covers what it covered before, on the new side, for this letter. */
  const keeps = (i: number, letter: string, newSignature: string): boolean => {
    const p = stateOf('before').enabled[i]!;
    const next = stateOf('after').enabled;
    const j = next.findIndex((q) => q.id.toLowerCase() === p.id.toLowerCase());
    if (j < 0 || newSignature[j] !== letter) return false;
    const q = next[j]!;
    return (
      canonicalOf(q) === canonicalOf(p) &&
      q.grant.block === p.grant.block &&
      q.grant.requiresMfa === p.grant.requiresMfa &&
      sameLocations
    );
  };
  const lostAnswers = new Map<string, Array<{ gap: Gap; undecided: boolean }>>();
  const lostWithin = (p: Policy, old: Subject, now: Subject): Array<{ gap: Gap; undecided: boolean }> => {
    const unsure = (why: string) => [
      {
        gap: {
          description: `a sign-in policy '${p.name}' may have covered before the change: ${why}`,
          policyIds: [p.id],
        },
        undecided: true,
      },
    ];
    if (!sameLocations) return unsure('named locations changed, so where it applied cannot be compared');
    const found = uncoveredWithin(stateOf('after'), now.signature, now.others, p);
    if (found === undefined) return [];
    if (found === 'unsure') return unsure('mfa-audit cannot tell whether those sign-ins get through now');
    const origin = { state: found.origin, sameNamedLocations: true };
    const before = coversSignIn(stateOf('before'), old.signature, old.others, found.gap.example!, origin);
    const { gap } = found;
    const decided = found.through && before === 'covered';
    gap.description += `; policy '${p.name}' ${decided ? 'covered' : 'may have covered'} it before the change`;
    if (!gap.policyIds.includes(p.id)) gap.policyIds = [...gap.policyIds, p.id];
    return [{ gap, undecided: !decided }];
  };

  return {
    lostCoverage(id) {
      const old = subjectOf('before', id);
      const now = subjectOf('after', id);
      if (old === 'absent' || now === 'absent' || old === 'exempt' || now === 'exempt') return [];
      const key = `${old.others}\u0000${old.signature}\u0000${now.others}\u0000${now.signature}`;
      let lost = lostAnswers.get(key);
      if (lost) return lost;
      lost = [];
      const enabled = stateOf('before').enabled;
      for (let i = 0; i < enabled.length && lost.length === 0; i++) {
        const letter = old.signature[i]!;
        const p = enabled[i]!;
        if ((letter !== 'y' && letter !== 'm') || !isStopper(p, false) || keeps(i, letter, now.signature)) continue;
        lost = lostWithin(p, old, now);
      }
      lostAnswers.set(key, lost);
      return lost;
    },
    variantOf: (id) =>
      stateOf('before').dir.perUser === stateOf('after').dir.perUser
        ? (perUser('before', id) ?? '-')
        : `${perUser('before', id) ?? '-'}\u0000${perUser('after', id) ?? '-'}`,
    coverageOn(side, id, gap) {
      const subject = subjectOf(side, id);
      // An account that cannot sign in on that side lets nothing through there.
      if (subject === 'exempt') return 'covered';
      if (subject === 'absent' || !gap.example) return 'unsure';
      let exampleKey = exampleKeys.get(gap.example);
      if (exampleKey === undefined) exampleKeys.set(gap.example, (exampleKey = JSON.stringify(gap.example)));
      const key = `${side}\u0000${subject.others}\u0000${subject.signature}\u0000${exampleKey}`;
      let answer = answers.get(key);
      if (answer === undefined) {
        const origin = { state: stateOf(side === 'before' ? 'after' : 'before'), sameNamedLocations: sameLocations };
        answer = coversSignIn(stateOf(side), subject.signature, subject.others, gap.example, origin);
        answers.set(key, answer);
      }
      return answer;
    },
  };
}
