/** IPv4 and IPv6 CIDR ranges (named locations): overlap and containment, exact, with BigInt arithmetic. */

export interface Cidr {
  family: 4 | 6;
  /** The network address as an integer. */
  at: bigint;
  len: number;
}

function parseV4(addr: string): bigint | undefined {
  const parts = addr.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const v = Number(part);
    if (v > 255) return undefined;
    n = n * 256n + BigInt(v);
  }
  return n;
}

function parseV6(addr: string): bigint | undefined {
  let text = addr;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = parseV4(v4[1]!);
    if (n === undefined) return undefined;
    text = text.slice(0, -v4[1]!.length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) + BigInt(parseInt(g, 16));
  }
  return n;
}

export function parseCidr(cidr: string): Cidr | undefined {
  const [addr = '', lenText, extra] = cidr.trim().split('/');
  if (extra !== undefined) return undefined;
  const family = addr.includes(':') ? 6 : 4;
  const bits = family === 4 ? 32 : 128;
  const at = family === 4 ? parseV4(addr) : parseV6(addr);
  const len = lenText === undefined ? bits : Number(lenText);
  if (
    at === undefined ||
    !Number.isInteger(len) ||
    len < 0 ||
    len > bits ||
    (lenText !== undefined && !/^\d+$/.test(lenText))
  ) {
    return undefined;
  }
  return { family, at, len };
}

function prefix(c: Cidr, len: number): bigint {
  const bits = c.family === 4 ? 32 : 128;
  return c.at >> BigInt(bits - len);
}

/** Whether two ranges share an address. */
function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const len = Math.min(a.len, b.len);
  return prefix(a, len) === prefix(b, len);
}

/** Whether every address of `a` is in `b`. */
function within(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && b.len <= a.len && prefix(a, b.len) === prefix(b, b.len);
}

/** Whether two lists share an address: true, false, or undefined when a range cannot be read. */
export function listsOverlap(a: string[], b: string[]): boolean | undefined {
  const pa = a.map(parseCidr);
  const pb = b.map(parseCidr);
  for (const x of pa) for (const y of pb) if (x && y && overlaps(x, y)) return true;
  return pa.includes(undefined) || pb.includes(undefined) ? undefined : false;
}

/** Whether every range of `a` lies inside some range of `b` (false when it cannot be told). */
export function listWithin(a: string[], b: string[]): boolean {
  if (a.length === 0) return false;
  const pb = b.map(parseCidr);
  return a.every((x) => {
    const px = parseCidr(x);
    return px !== undefined && pb.some((y) => y !== undefined && within(px, y));
  });
}

/** One address (What If requests): its family and value. */
export interface Address {
  family: 4 | 6;
  at: bigint;
}

/** The first and last address of a range. */
export function rangeEnds(c: Cidr): { first: bigint; last: bigint } {
  const host = BigInt((c.family === 4 ? 32 : 128) - c.len);
  const first = (c.at >> host) << host;
  return { first, last: first + (1n << host) - 1n };
}

export function containsAddress(c: Cidr, a: Address): boolean {
  if (c.family !== a.family) return false;
  const { first, last } = rangeEnds(c);
  return a.at >= first && a.at <= last;
}

export function parseAddress(text: string): Address | undefined {
  const c = parseCidr(text);
  return c && c.len === (c.family === 4 ? 32 : 128) ? { family: c.family, at: c.at } : undefined;
}

export function formatAddress(a: Address): string {
  if (a.family === 4) return [24n, 16n, 8n, 0n].map((s) => ((a.at >> s) & 255n).toString()).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((a.at >> s) & 0xffffn).toString(16));
  return groups.join(':');
}
