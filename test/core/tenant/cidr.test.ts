import { describe, expect, it } from 'vitest';
import { listWithin, listsOverlap, parseCidr } from '../../../src/core/tenant/cidr.js';

describe('CIDR ranges of IP named locations', () => {
  it('parses IPv4 and IPv6 (with :: and embedded IPv4)', () => {
    expect(parseCidr('203.0.113.0/24')).toEqual({ family: 4, at: 0xcb007100n, len: 24 });
    expect(parseCidr('2001:db8::/32')).toEqual({ family: 6, at: 0x20010db8n << 96n, len: 32 });
    expect(parseCidr('::ffff:1.2.3.4/128')!.at).toBe(0xffff01020304n);
    expect(parseCidr('1.2.3.4')!.len).toBe(32);
    for (const bad of ['1.2.3/24', '300.1.1.1/8', '1.2.3.4/33', '2001:db8::1::2/64', 'x/1', '1.2.3.4/2/3'])
      expect(parseCidr(bad)).toBeUndefined();
  });
  it('overlap', () => {
    expect(listsOverlap(['10.0.0.0/16'], ['10.0.1.0/24'])).toBe(true);
    expect(listsOverlap(['10.0.0.0/16'], ['10.1.0.0/16'])).toBe(false);
    expect(listsOverlap(['2001:db8::/32'], ['2001:db8:1::/48'])).toBe(true);
    expect(listsOverlap(['2001:db8::/32'], ['2001:db9::/32'])).toBe(false);
    expect(listsOverlap(['10.0.0.0/8'], ['2001:db8::/32'])).toBe(false);
    expect(listsOverlap(['garbage'], ['10.0.0.0/8'])).toBeUndefined();
  });
  it('containment', () => {
    expect(listWithin(['10.0.1.0/24'], ['10.0.0.0/16'])).toBe(true);
    expect(listWithin(['10.0.0.0/16'], ['10.0.1.0/24'])).toBe(false);
    expect(listWithin(['10.0.1.0/24', '192.168.0.0/16'], ['10.0.0.0/8'])).toBe(false);
    expect(listWithin(['2001:db8:1::/48'], ['2001:db8::/32'])).toBe(true);
  });
});
