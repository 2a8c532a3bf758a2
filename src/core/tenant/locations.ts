/**
 * The location dimension (evaluation.md §4.2): a sign-in lies outside every named location, or in a set of them at
 * once. The sets are the places the named locations' ranges and countries allow; those mfa-audit cannot confirm
 * (overlaps it cannot decide, trust it cannot read, the MFA service's trusted IPs) are `uncertain` atoms.
 */
import { listsOverlap, listWithin } from './cidr.js';
import { MFA_TRUSTED_IPS_LOCATION, PERMISSION_HINTS } from './constants.js';
import type { Atom, Dimension } from './dimension.js';
import { list, policiesMatch, sub } from './dimension.js';
import type { Directory, NamedLocation } from './directory.js';
import { strings } from './graph-json.js';
import type { Policy } from './policy.js';

interface LocationAtomData {
  ids: string[];
  trusted: boolean;
}

/** The atoms being enumerated, with the data their matches are computed from. */
interface LocationAtoms {
  atoms: Atom[];
  datas: LocationAtomData[];
  add: (data: LocationAtomData, label: string, uncertain?: string) => void;
}

/** Beyond this many atoms (or this many steps of the walk), the dimension is incomplete. */
const MAX_LOCATION_ATOMS = 512;
const MAX_LOCATION_VISITS = 100_000;

function locationMatches(p: Policy, a: LocationAtomData): boolean {
  const c = sub(p, 'locations');
  if (!c) return true;
  const include = strings(c.includeLocations);
  const exclude = strings(c.excludeLocations);
  const included =
    include.length === 0 ||
    include.includes('All') ||
    (a.trusted && include.includes('AllTrusted')) ||
    a.ids.some((id) => include.includes(id));
  if (!included) return false;
  return !(
    exclude.includes('All') ||
    (a.trusted && exclude.includes('AllTrusted')) ||
    a.ids.some((id) => exclude.includes(id))
  );
}

/** Whether every sign-in in location a is also in location b (false when mfa-audit cannot tell). */
function locationWithin(a: NamedLocation | undefined, b: NamedLocation | undefined): boolean {
  if (!a || !b) return false;
  if (a.kind === 'ip' && b.kind === 'ip') return listWithin(a.cidrs, b.cidrs);
  if (a.kind === 'country' && b.kind === 'country' && !a.gps && !b.gps) {
    return (
      a.countries.length > 0 &&
      a.countries.every((c) => b.countries.includes(c)) &&
      (!a.includeUnknownCountries || b.includeUnknownCountries)
    );
  }
  return false;
}

/** Whether two locations can contain the same sign-in: true (surely), 'maybe', false. */
function locationsOverlap(a: NamedLocation | undefined, b: NamedLocation | undefined): boolean | 'maybe' {
  if (!a || !b) return false;
  if (a.kind === 'ip' && b.kind === 'ip') {
    const o = listsOverlap(a.cidrs, b.cidrs);
    return o === undefined ? 'maybe' : o;
  }
  if (a.kind === 'country' && b.kind === 'country' && !a.gps && !b.gps) {
    if (a.countries.some((c) => b.countries.includes(c)) || (a.includeUnknownCountries && b.includeUnknownCountries))
      return true;
    return false;
  }
  return 'maybe';
}

/** The location ids policies name (besides All), and whether one names AllTrusted. */
function referencedLocations(policies: Policy[]): { referenced: Set<string>; allTrusted: boolean } {
  const referenced = new Set<string>();
  let allTrusted = false;
  for (const p of policies) {
    const c = sub(p, 'locations');
    for (const v of [...strings(c?.includeLocations), ...strings(c?.excludeLocations)]) {
      if (v === 'AllTrusted') allTrusted = true;
      else if (v !== 'All') referenced.add(v);
    }
  }
  return { referenced, allTrusted };
}

/**
 * Every place a sign-in can be: each set of referenced locations that pairwise may overlap (cliques), of any size,
 * up to a cap — a sign-in can be in all at once (nested IP ranges put one sign-in in every one of them). Returns why
 * the enumeration stopped short, if it did.
 */
function enumeratePlaces(
  known: Map<string, NamedLocation>,
  referenced: Set<string>,
  out: LocationAtoms,
): string | undefined {
  const ids = [...referenced].filter((id) => id !== MFA_TRUSTED_IPS_LOCATION).sort();
  const locs = ids.map((id) => known.get(id));
  const name = (i: number): string => {
    const l = locs[i];
    return l
      ? `${l.trusted === true ? 'trusted ' : ''}location '${l.displayName}'`
      : `location ${ids[i]} (not among the named locations)`;
  };
  // Location i lies inside location j: a sign-in in i is always in j too.
  const within = (i: number, j: number): boolean => i !== j && locationWithin(locs[i], locs[j]);
  // A set of locations is a possible place only if it holds every location that contains one of its members.
  const closed = (set: number[]): boolean => set.every((i) => ids.every((_, j) => !within(i, j) || set.includes(j)));
  // The concrete place also lies in every other named location containing a member (unreferenced ones too).
  const withContaining = (set: number[]): string[] => {
    const place = new Set(set.map((i) => ids[i]!));
    for (const i of set)
      for (const l of known.values()) if (l.id !== ids[i] && locationWithin(locs[i], l)) place.add(l.id);
    return [...place].sort();
  };
  // A clique that leaves out a location of a lower index containing one of its members can never become closed
  // (only higher indices are added): pruned.
  const missesPassedContainer = (set: number[], k: number): boolean =>
    set.some((i) => ids.some((_, j) => j <= k && within(i, j) && !set.includes(j)));
  /** The atoms of one clique, when it is a possible place. */
  const addPlace = (next: number[], sure: boolean): void => {
    if (!closed(next)) return;
    // Three or more locations that overlap pairwise need not share one place, unless one of them lies inside all
    // the others (nested ranges): then that one is the shared place.
    const sureHere = sure && (next.length < 3 || next.some((m) => next.every((j) => j === m || within(m, j))));
    const place = withContaining(next);
    const trusted = place.some((id) => known.get(id)?.trusted === true)
      ? true
      : place.some((id) => known.get(id)?.trusted === undefined)
        ? undefined
        : false;
    const label =
      next.length === 1 ? `from ${name(next[0]!)}` : `from a place inside ${next.map(name).join(' and ')} at once`;
    const locationDoubts = place.map((id) => known.get(id)?.doubt).filter((d): d is string => d !== undefined);
    const overlapDoubt = locationDoubts.length
      ? `where the location lies is not known to mfa-audit: ${locationDoubts.join('; ')}`
      : sureHere
        ? undefined
        : `whether ${next.map(name).join(' and ')} overlap is not known to mfa-audit (compare their IP ranges and countries)`;
    if (trusted === undefined) {
      // isTrusted was not in the snapshot: the place may or may not be trusted.
      const doubt = `whether ${next.map(name).join(' and ')} is trusted is not in the snapshot (collect namedLocations with isTrusted)`;
      out.add({ ids: place, trusted: true }, `${label} (if trusted)`, doubt);
      out.add({ ids: place, trusted: false }, `${label} (if untrusted)`, doubt);
    } else {
      out.add({ ids: place, trusted }, label, overlapDoubt);
    }
  };
  let overflow: string | undefined;
  let visits = 0;
  const walk = (clique: number[], start: number, sure: boolean): void => {
    for (let k = start; k < ids.length; k++) {
      if (out.atoms.length > MAX_LOCATION_ATOMS || ++visits > MAX_LOCATION_VISITS) {
        overflow = 'too many overlapping named locations to enumerate every combination';
        return;
      }
      let ok = true;
      let pairsSure = sure;
      for (const i of clique) {
        const o = locationsOverlap(locs[i], locs[k]);
        if (o === false) ok = false;
        else if (o === 'maybe') pairsSure = false;
      }
      if (!ok) continue;
      const next = [...clique, k];
      addPlace(next, pairsSure);
      if (!missesPassedContainer(next, k)) walk(next, k + 1, pairsSure);
      if (overflow) return;
    }
  };
  walk([], 0, true);
  return overflow;
}

/** Why a policy does not apply in a location atom, in words. */
function locationWhy(known: Map<string, NamedLocation> | undefined): Dimension['why'] {
  return (p, atom) => {
    const c = sub(p, 'locations');
    const exclude = strings(c?.excludeLocations);
    if (exclude.includes('AllTrusted') && atom.patch.trustedLocation) return 'excludes AllTrusted';
    const hit = (atom.patch.locations ?? []).find((id) => exclude.includes(id));
    if (hit) return `excludes location '${known?.get(hit)?.displayName ?? hit}'`;
    const include = strings(c?.includeLocations).map((id) =>
      id === 'AllTrusted' || id === 'All' ? id : `'${known?.get(id)?.displayName ?? id}'`,
    );
    return `applies only to locations ${list(include)}`;
  };
}

export function locationDimension(dir: Directory, policies: Policy[]): { dim: Dimension; overflow?: string } {
  const { referenced, allTrusted } = referencedLocations(policies);
  const known = dir.namedLocations;
  const atoms: Atom[] = [];
  const datas: LocationAtomData[] = [];
  const out: LocationAtoms = {
    atoms,
    datas,
    add: (data, label, uncertain) => {
      datas.push(data);
      atoms.push({ label, uncertain, patch: { locations: data.ids, trustedLocation: data.trusted } });
    },
  };
  out.add({ ids: [], trusted: false }, 'outside every named location');
  let overflow: string | undefined;
  if (known) {
    if (allTrusted) for (const l of known.values()) if (l.trusted !== false) referenced.add(l.id);
    overflow = enumeratePlaces(known, referenced, out);
    if (allTrusted || referenced.has(MFA_TRUSTED_IPS_LOCATION)) {
      out.add(
        { ids: [MFA_TRUSTED_IPS_LOCATION], trusted: true },
        "from the MFA service's trusted IPs",
        "the legacy MFA service's trusted IPs cannot be read through Graph (check them in the portal)",
      );
    }
  } else if (referenced.size > 0 || allTrusted) {
    const why = `named locations were not collected (v1.0/identity/conditionalAccess/namedLocations; needs ${PERMISSION_HINTS.policies})`;
    for (const id of [...referenced].sort()) {
      out.add({ ids: [id], trusted: false }, `from location ${id} (if untrusted)`, why);
      out.add({ ids: [id], trusted: true }, `from location ${id} (if trusted)`, why);
    }
    out.add({ ids: [], trusted: true }, 'from a trusted location', why);
  }
  for (const a of out.atoms.slice(1)) {
    if (a.label.startsWith('from ')) a.label = a.label.slice(5);
  }
  const incomplete = overflow
    ? {
        reason: overflow,
        affects: (p: Policy) =>
          strings(sub(p, 'locations')?.includeLocations).some((v) => v !== 'All') ||
          strings(sub(p, 'locations')?.excludeLocations).length > 0,
      }
    : undefined;
  return {
    dim: {
      incomplete,
      name: 'location',
      anyLabel: 'any location',
      atoms: out.atoms,
      match: out.datas.map((d) => policiesMatch(policies, (p) => locationMatches(p, d))),
      why: locationWhy(known),
    },
    overflow,
  };
}
