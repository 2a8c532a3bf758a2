/**
 * A concrete place for a What If request (evaluation.md §9): an IP address inside every IP location of the example
 * and outside the others, and a country likewise. Candidates are the ends of every range and the addresses just
 * beyond them, so a nested or adjacent range is always tried; none fitting means the example cannot be put to What If.
 */
import type { Address, Cidr } from './cidr.js';
import { containsAddress, formatAddress, parseAddress, parseCidr, rangeEnds } from './cidr.js';
import type { NamedLocation } from './directory.js';

/** Public addresses tried first when the example lies in no IP location (Microsoft's own What If example first). */
const DEFAULT_ADDRESSES = ['40.77.182.32', '20.190.128.10', '52.96.0.10', '2603:1000::10'];

/** Countries tried first when the example lies in no country location. */
const DEFAULT_COUNTRIES = ['US', 'GB', 'DE', 'FR', 'NL', 'CA', 'AU', 'JP', 'BR', 'IN', 'ZA', 'SE', 'CH', 'SG', 'NZ'];

function rangesOf(l: NamedLocation): Cidr[] | undefined {
  const out: Cidr[] = [];
  for (const text of l.cidrs) {
    const c = parseCidr(text);
    if (!c) return undefined;
    out.push(c);
  }
  return out;
}

function inLocation(ranges: Cidr[], a: Address): boolean {
  return ranges.some((c) => containsAddress(c, a));
}

export function chooseIp(inside: NamedLocation[], outside: NamedLocation[]): string | undefined {
  const ins = inside.map(rangesOf);
  const outs = outside.map(rangesOf);
  if (ins.includes(undefined) || outs.includes(undefined)) return undefined;
  const insideRanges = ins as Cidr[][];
  const outsideRanges = outs as Cidr[][];
  const candidates: Address[] = [];
  if (insideRanges.length === 0) {
    for (const text of DEFAULT_ADDRESSES) candidates.push(parseAddress(text)!);
  }
  for (const c of [...insideRanges.flat(), ...outsideRanges.flat()]) {
    const { first, last } = rangeEnds(c);
    const max = (1n << BigInt(c.family === 4 ? 32 : 128)) - 1n;
    for (const at of [first, last, first - 1n, last + 1n]) {
      if (at >= 0n && at <= max) candidates.push({ family: c.family, at });
    }
  }
  const fits = (a: Address) =>
    insideRanges.every((r) => inLocation(r, a)) && outsideRanges.every((r) => !inLocation(r, a));
  // Network and broadcast addresses of IPv4 ranges are tried last: a real sign-in never comes from them.
  const sorted = [
    ...candidates.filter((a) => a.family === 6 || (a.at & 255n) !== 0n),
    ...candidates.filter((a) => a.family === 4 && (a.at & 255n) === 0n),
  ];
  const found = sorted.find(fits);
  return found ? formatAddress(found) : undefined;
}

export function chooseCountry(inside: NamedLocation[], outside: NamedLocation[]): string | undefined {
  const pool = inside.length > 0 ? inside[0]!.countries : DEFAULT_COUNTRIES;
  return pool.find(
    (c) => inside.every((l) => l.countries.includes(c)) && outside.every((l) => !l.countries.includes(c)),
  );
}
