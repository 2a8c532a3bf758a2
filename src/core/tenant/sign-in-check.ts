/**
 * One concrete sign-in (a gap's `example`) checked against one tenant state for one account: is it covered (an
 * enabled policy that surely applies to the account there demands MFA or blocks, or another mechanism covers it),
 * does it get through (no policy that may demand MFA or block may apply), or can mfa-audit not tell?
 *
 * The example was made in another state's sign-in contexts (`origin`), whose atoms are classes of sign-ins cut by
 * that state's policies: `appId: null` is "an app none of the origin's policies names", `locations: []` is "in none
 * of the locations the origin's policies name", a device state the origin's policies never look at is any device
 * state. So the example stands for every sign-in of this state's atoms that agree with it on what the origin
 * distinguishes (the candidates); a policy surely applies when it surely matches every candidate, and may apply when
 * it may match some. Both readings err on the side of the change under review looking worse, never better.
 * The matchers are the engine's own (the dimensions' match tables, `isStopper`, `doubtOf`); nothing is re-derived.
 */
import { isStopper } from './ca.js';
import { MFA_TRUSTED_IPS_LOCATION } from './constants.js';
import type { ContextSpace } from './contexts.js';
import type { Atom, Dimension } from './dimension.js';
import { sub } from './dimension.js';
import type { EngineState } from './engine-types.js';
import { strings } from './graph-json.js';
import { doubtOf } from './policy.js';
import { signatureEntry } from './evaluate.js';
import type { SignInExample } from './types.js';

export type SignInCoverage = 'covered' | 'through' | 'unsure';

/**
 * What the account's mechanisms besides Conditional Access do to the sign-in: `all` (security defaults, per-user
 * MFA enforced), `modern` (per-user MFA enabled: every client but legacy ones), `none`, or `unknown` (they may
 * cover it: the sign-in is then never said to get through).
 */
export type OtherMechanisms = 'all' | 'modern' | 'none' | 'unknown';

/** What a state's policies tell apart: the parts of a sign-in its atoms fix, beyond the fixed enumerations. */
interface Distinctions {
  /** App ids the policies name. */
  apps: Set<string>;
  /** Named apps whose app groups are not known (an atom per reading): their example's groups are a guess. */
  appsOfUnknownGroups: Set<string>;
  /** Whether some atom is "an Office 365 app no policy names" (then Office 365 membership is told apart). */
  office365: boolean;
  adminPortal: boolean;
  applicationFilters: Set<string>;
  /** Named locations the policies name (directly, or through AllTrusted). */
  locations: Set<string>;
  deviceStates: boolean;
  deviceFilters: Set<string>;
}

const distinctionsCache = new WeakMap<EngineState, Distinctions>();

function dimension(space: ContextSpace, name: string): Dimension | undefined {
  return space.dims.find((d) => d.name === name);
}

function referencedLocations(state: EngineState): Set<string> {
  const out = new Set<string>();
  let allTrusted = false;
  for (const p of state.enabled) {
    const c = sub(p, 'locations');
    for (const v of [...strings(c?.includeLocations), ...strings(c?.excludeLocations)]) {
      if (v === 'AllTrusted') allTrusted = true;
      else if (v !== 'All') out.add(v);
    }
  }
  if (allTrusted) {
    out.add(MFA_TRUSTED_IPS_LOCATION);
    for (const l of state.dir.namedLocations?.values() ?? []) if (l.trusted !== false) out.add(l.id);
  }
  return out;
}

function distinctionsOf(state: EngineState): Distinctions {
  let d = distinctionsCache.get(state);
  if (d) return d;
  const appAtoms = dimension(state.space, 'application')?.atoms ?? [];
  const nullApps = appAtoms.map((a) => a.patch.application!).filter((a) => a.appId === null);
  const readings = new Map<string, Set<string>>();
  for (const { appId, office365, adminPortal } of appAtoms.map((a) => a.patch.application!)) {
    if (appId === null) continue;
    if (!readings.has(appId)) readings.set(appId, new Set());
    readings.get(appId)!.add(`${office365}${adminPortal}`);
  }
  d = {
    apps: new Set(appAtoms.map((a) => a.patch.application!.appId).filter((id): id is string => id !== null)),
    appsOfUnknownGroups: new Set([...readings].filter(([, r]) => r.size > 1).map(([id]) => id)),
    office365: nullApps.some((a) => a.office365),
    adminPortal: nullApps.some((a) => a.adminPortal),
    applicationFilters: new Set(appAtoms.flatMap((a) => a.patch.applicationFilterMatches ?? [])),
    locations: referencedLocations(state),
    deviceStates: (dimension(state.space, 'deviceState')?.atoms.length ?? 1) > 1,
    deviceFilters: new Set(
      state.space.dims.filter((dim) => dim.name.startsWith('deviceFilter:')).map((dim) => dim.name.slice(13)),
    ),
  };
  distinctionsCache.set(state, d);
  return d;
}

/** Where the example was made: the state whose atoms it picks, and whether both states' named locations are one. */
export interface ExampleOrigin {
  state: EngineState;
  sameNamedLocations: boolean;
}

interface Views {
  from: Distinctions;
  here: Distinctions;
  sameNamedLocations: boolean;
  /** The named locations both states' policies name: where an example's place is compared. */
  sharedLocations: string[];
}

function applicationAgrees(atom: Atom, e: SignInExample, v: Views): boolean {
  const a = atom.patch.application!;
  const filters = atom.patch.applicationFilterMatches ?? [];
  for (const rule of filters.concat(e.applicationFilterMatches)) {
    if (v.from.applicationFilters.has(rule) && filters.includes(rule) !== e.applicationFilterMatches.includes(rule))
      return false;
  }
  const app = e.application;
  // An app named here: the atoms of that app (every reading of its app groups).
  if (app.appId !== null && v.here.apps.has(app.appId)) return a.appId === app.appId;
  if (app.appId !== null) {
    // Named only in the origin: an app no policy here names, in the app groups the origin knows it to be in.
    if (a.appId !== null) return false;
    if (v.from.appsOfUnknownGroups.has(app.appId)) return true;
  } else if (a.appId !== null && v.from.apps.has(a.appId)) {
    // An app the origin's policies do not name is none of the apps they name.
    return false;
  }
  // App groups are compared only where both states tell them apart: an atom of a state that does not stands for
  // apps in and out of the group alike.
  if (v.from.office365 && v.here.office365 && a.office365 !== app.office365) return false;
  return !(v.from.adminPortal && v.here.adminPortal && a.adminPortal !== app.adminPortal);
}

function locationAgrees(atom: Atom, e: SignInExample, v: Views): boolean {
  // A named location defined differently in the two states: where the example's IP lies here is not known.
  if (!v.sameNamedLocations) return true;
  const ids = atom.patch.locations ?? [];
  for (const id of v.sharedLocations) if (ids.includes(id) !== e.locations.includes(id)) return false;
  return true;
}

/** Whether an atom of this state may hold the example's sign-in. */
function agrees(dim: Dimension, atom: Atom, e: SignInExample, v: Views): boolean {
  const p = atom.patch;
  switch (dim.name) {
    case 'application':
      return applicationAgrees(atom, e, v);
    case 'clientAppType':
      return (
        p.clientAppType === e.clientAppType &&
        (p.easSupportedPlatform === undefined ||
          e.easSupportedPlatform === undefined ||
          p.easSupportedPlatform === e.easSupportedPlatform)
      );
    case 'location':
      return locationAgrees(atom, e, v);
    case 'platform':
      return p.platform === e.platform;
    case 'signInRisk':
      return p.signInRisk === e.signInRisk;
    case 'userRisk':
      return p.userRisk === e.userRisk;
    case 'insiderRisk':
      return p.insiderRisk === e.insiderRisk;
    case 'authenticationFlow':
      return p.authenticationFlow === e.authenticationFlow;
    case 'deviceState':
      return (
        !v.from.deviceStates ||
        (p.device!.compliant === e.device.compliant && p.device!.domainJoined === e.device.domainJoined)
      );
    default: {
      if (!dim.name.startsWith('deviceFilter:')) return true;
      const rule = dim.name.slice(13);
      if (!v.from.deviceFilters.has(rule)) return true;
      return (p.deviceFilterMatches ?? []).includes(rule) === e.deviceFilterMatches.includes(rule);
    }
  }
}

/** Per dimension, one entry per distinct candidate atom: the policies that may not, and surely do not, match it. */
interface Candidates {
  notSure: bigint[][];
  notMatch: bigint[][];
}

/** The candidate atoms of every dimension, or undefined when the sign-in has no atom here in some dimension. */
function candidatesOf(state: EngineState, e: SignInExample, v: Views): Candidates | undefined {
  const { space, enabled } = state;
  const out: Candidates = { notSure: [], notMatch: [] };
  for (let di = 0; di < space.dims.length; di++) {
    const dim = space.dims[di]!;
    // Atoms that could not all be listed: a policy that depends on them is never sure, and may match.
    let unlisted = 0n;
    if (dim.incomplete) for (const p of enabled) if (dim.incomplete.affects(p)) unlisted |= 1n << BigInt(p.index);
    const seen = new Set<string>();
    const notSure: bigint[] = [];
    const notMatch: bigint[] = [];
    dim.atoms.forEach((atom, a) => {
      if (!agrees(dim, atom, e, v)) return;
      const ns = space.notSure[di]![a]! | unlisted;
      const nm = space.notMatch[di]![a]! & ~unlisted;
      const key = `${ns.toString(36)}:${nm.toString(36)}`;
      if (seen.has(key)) return;
      seen.add(key);
      notSure.push(ns);
      notMatch.push(nm);
    });
    if (notSure.length === 0) return undefined;
    out.notSure.push(notSure);
    out.notMatch.push(notMatch);
  }
  return out;
}

const candidateCache = new WeakMap<EngineState, WeakMap<EngineState, Map<string, Candidates | undefined>>>();
const exampleKeys = new WeakMap<SignInExample, string>();

/** The candidates depend on the example and both states, not on the account: computed once per example. */
function cachedCandidates(state: EngineState, e: SignInExample, v: Views, origin: ExampleOrigin) {
  let byOrigin = candidateCache.get(state);
  if (!byOrigin) candidateCache.set(state, (byOrigin = new WeakMap()));
  let byExample = byOrigin.get(origin.state);
  if (!byExample) byOrigin.set(origin.state, (byExample = new Map<string, Candidates | undefined>()));
  let key = exampleKeys.get(e);
  if (key === undefined) exampleKeys.set(e, (key = JSON.stringify(e)));
  key += `\u0000${v.sameNamedLocations}`;
  if (!byExample.has(key)) byExample.set(key, candidatesOf(state, e, v));
  return byExample.get(key);
}

/** Bound on the steps of the search for a candidate context no definite stopper covers (beyond it: not covered). */
const MAX_COVER_STEPS = 50_000;

/** Whether every combination of candidate atoms has a policy of `definite` that surely applies there. */
function everyContextCovered(c: Candidates, definite: bigint): boolean {
  const covered = new Set<string>();
  let steps = 0;
  const walk = (k: number, alive: bigint): boolean => {
    if (alive === 0n) return false;
    if (k === c.notSure.length) return true;
    const key = `${k}:${alive.toString(36)}`;
    if (covered.has(key)) return true;
    if (++steps > MAX_COVER_STEPS) return false;
    for (const ns of c.notSure[k]!) if (!walk(k + 1, alive & ~ns)) return false;
    covered.add(key);
    return true;
  };
  return walk(0, definite);
}

function isLegacy(e: SignInExample): boolean {
  return e.clientAppType === 'exchangeActiveSync' || e.clientAppType === 'other';
}

/**
 * Whether this state covers the example sign-in for an account with this signature (its letter per enabled
 * policy, `EngineState.signatureOf`) and these other mechanisms. `unsure` when the data or the translation from the
 * origin's contexts leaves it open.
 */
export function coversSignIn(
  state: EngineState,
  signature: string,
  others: OtherMechanisms,
  example: SignInExample,
  origin: ExampleOrigin,
): SignInCoverage {
  if (others === 'all' || (others === 'modern' && !isLegacy(example))) return 'covered';
  if (!state.dir.caPolicies) return 'unsure';
  const from = distinctionsOf(origin.state);
  const here = distinctionsOf(state);
  const views: Views = {
    from,
    here,
    sameNamedLocations: origin.sameNamedLocations,
    sharedLocations: [...from.locations].filter((id) => here.locations.has(id)),
  };
  // An account whose every sign-in is covered here (the engine's pass proof) covers this one too.
  if (signatureEntry(state, signature).result.verdict === 'pass') return 'covered';
  const candidates = cachedCandidates(state, example, views, origin);
  if (!candidates) return 'unsure';
  let definite = 0n;
  let mayApply = false;
  for (let i = 0; i < state.enabled.length; i++) {
    const p = state.enabled[i]!;
    // Signatures are indexed by position among the enabled policies; masks by `Policy.index`.
    const letter = signature[i];
    if ((letter !== 'y' && letter !== 'm') || !isStopper(p, false)) continue;
    const bit = 1n << BigInt(p.index);
    // It may apply when, in every dimension, some candidate atom may be one it matches.
    if (!candidates.notMatch.every((atoms) => atoms.some((nm) => (nm & bit) === 0n))) continue;
    mayApply = true;
    // The engine's definite stoppers (evaluateSignature): surely the account's, surely MFA or block, no doubt that
    // the policy applies at all.
    if (letter === 'y' && isStopper(p, true) && !doubtOf(p, 'policy').narrow) definite |= bit;
  }
  if (definite !== 0n && everyContextCovered(candidates, definite)) return 'covered';
  if (mayApply || others === 'unknown') return 'unsure';
  return 'through';
}
