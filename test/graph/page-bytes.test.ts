/**
 * PageBytes (src/graph/page-bytes.ts): a page parsed in groups is exactly JSON.parse of the whole (the same value, or
 * the same SyntaxError), and the groups are used for pages as Graph sends them; gzip output in one chunk.
 */
import { isDeepStrictEqual } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PageBytes } from '../../src/graph/page-bytes.js';

/** JSON.parse's outcome: its value, or that it threw a SyntaxError. */
function outcome(parse: () => unknown): { value: unknown } | { syntaxError: true } {
  try {
    return { value: parse() };
  } catch (error) {
    expect(error).toBeInstanceOf(SyntaxError);
    return { syntaxError: true };
  }
}

/** The same value, with keys in the same order (what a snapshot written from it would show). */
function expectSame(a: unknown, b: unknown): void {
  expect(isDeepStrictEqual(a, b)).toBe(true);
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
}

/** Text that looks like JSON structure inside strings, multi-byte characters, escapes. */
const tricky = fc.oneof(
  fc.string(),
  fc.constantFrom('},{', '"value":[', ']', '\\', '"', '},{"userId":"x"}', 'é', '😀', '\u2028', '\ud800'),
  fc.string({ unit: 'binary' }),
);
const row = fc.dictionary(
  fc.oneof(fc.constantFrom('id', 'userId', 'status', 'value'), fc.string({ maxLength: 4 })),
  fc.oneof(tricky, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string(), tricky)),
  { maxKeys: 4 },
);
const pageWith = (around: fc.Arbitrary<string>) =>
  fc.record(
    {
      '@odata.context': around,
      value: fc.array(row, { minLength: 1, maxLength: 40 }),
      '@odata.nextLink': around,
    },
    { requiredKeys: ['value'] },
  );
const page = pageWith(tricky);
/** As Graph sends it: a context and a next link without "]" (URL-encoded), shorter than a group. */
const graphPage = pageWith(fc.string({ maxLength: 8 }).filter((s) => !s.includes(']')));

/** Whether a string (key or value) in it contains `text`. */
const mentions = (value: unknown, text: string): boolean =>
  typeof value === 'string'
    ? value.includes(text)
    : typeof value === 'object' && value !== null
      ? Object.entries(value).some(([k, v]) => k.includes(text) || mentions(v, text))
      : false;

/**
 * Short context and link without "]", and no "},{" inside a string (a cut there makes a group fail: the page is then
 * parsed whole, slower but the same).
 */
const isGraphShaped = (value: Record<string, unknown>): boolean =>
  [value['@odata.context'], value['@odata.nextLink']].every(
    (s) => s === undefined || (typeof s === 'string' && s.length <= 8 && !s.includes(']')),
  ) && !mentions(value.value, '},{');

describe('a page parsed in groups', () => {
  it('is JSON.parse of the whole, and the groups are used for pages shaped as Graph sends them', () => {
    fc.assert(
      fc.property(fc.oneof(graphPage, page), fc.integer({ min: 40, max: 300 }), (value, group) => {
        const text = Buffer.from(JSON.stringify(value));
        const inGroups = PageBytes.parseJsonInGroups(text, group);
        const graphShaped = isGraphShaped(value);
        if (text.length > 2 * group && graphShaped) expect(inGroups).toBeDefined();
        if (inGroups) expectSame(inGroups.value, JSON.parse(text.toString()));
        expectSame(PageBytes.parseJson(text), JSON.parse(text.toString()));
      }),
      { numRuns: 300 },
    );
  });

  it('cut short, or with a byte changed, added or removed, it parses or fails as JSON.parse does', () => {
    const edit = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('cut', 'replace', 'insert', 'delete'),
      byte: fc.constantFrom(...'{}[],:"\\ 0a-'.split('').map((c) => c.charCodeAt(0)), 0xc3, 0xff),
    });
    fc.assert(
      fc.property(page, fc.integer({ min: 8, max: 200 }), edit, (value, group, { at, kind, byte }) => {
        const bytes = Buffer.from(JSON.stringify(value));
        const i = at % bytes.length;
        const edited =
          kind === 'cut'
            ? bytes.subarray(0, i)
            : kind === 'replace'
              ? Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i + 1)])
              : kind === 'insert'
                ? Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)])
                : Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
        const whole = outcome(() => JSON.parse(edited.toString('utf8')));
        const inGroups = PageBytes.parseJsonInGroups(edited, group);
        // Sound: a value in groups is always the whole's.
        if (inGroups) expect('value' in whole && isDeepStrictEqual(whole.value, inGroups.value)).toBe(true);
        const parsed = outcome(() => PageBytes.parseJson(edited));
        if ('value' in whole && 'value' in parsed) expectSame(parsed.value, whole.value);
        else expect(parsed).toEqual(whole);
      }),
      { numRuns: 1000 },
    );
  });

  it('takes the last top-level "value" key, as JSON.parse does, and a "]" in the next link', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `{"userId":"u${i}","n":${i}}`).join(',');
    for (const text of [
      `{"value":[1],"value":[${rows}]}`,
      `{"value":[${rows}],"value":[2]}`,
      `{"value":[${rows}],"val\\u0075e":{"x":1}}`,
      `{"value":[${rows}],"@odata.nextLink":"https://graph/x?$skiptoken=a]b"}`,
      `{"@odata.context":"x\\"value\\":[","value":[${rows}]}`,
      `{"a":{"value":[${rows}]}}`,
      `[{"value":[${rows}]}]`,
      `{"value":[${rows}]  }`,
      `{"value":[ ${rows} ] , "x" : [ ] }`,
    ]) {
      const bytes = Buffer.from(text);
      expectSame(PageBytes.parseJson(bytes), JSON.parse(text));
      const inGroups = PageBytes.parseJsonInGroups(bytes, 64);
      if (inGroups) expectSame(inGroups.value, JSON.parse(text));
    }
  });

  it('a page larger than two groups is parsed in groups at the real size', () => {
    const value = Array.from({ length: 2000 }, (_, i) => ({
      id: `r${i}`,
      userId: `u${i % 7}`,
      requirement: 'multiFactorAuthentication',
    }));
    const text = Buffer.from(JSON.stringify({ '@odata.context': 'c', value, '@odata.nextLink': 'n' }));
    expect(text.length).toBeGreaterThan(2 * PageBytes.GROUP_BYTES);
    const inGroups = PageBytes.parseJsonInGroups(text, PageBytes.GROUP_BYTES);
    expect(inGroups).toBeDefined();
    expectSame(inGroups!.value, JSON.parse(text.toString()));
  });
});

describe('gzip output in one chunk', () => {
  it('sizes the chunk from the trailer, within 16 KB and 16 MB, and decompresses to the same bytes', () => {
    const text = Buffer.from('x'.repeat(300_000));
    const gz = gzipSync(text);
    expect(PageBytes.gunzipChunkSize(gz)).toBe(300_064);
    expect(gunzipSync(gz, { chunkSize: PageBytes.gunzipChunkSize(gz) }).equals(text)).toBe(true);
    expect(PageBytes.gunzipChunkSize(gzipSync(Buffer.from('{}')))).toBe(16 * 1024);
    expect(PageBytes.gunzipChunkSize(Buffer.from([1, 2]))).toBe(16 * 1024);
    expect(PageBytes.gunzipChunkSize(Buffer.from([0, 0, 0, 0xff]))).toBe(16 * 1024 * 1024);
  });
});
