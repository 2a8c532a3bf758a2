/**
 * SignInPageCounter (src/graph/sign-in-pages.ts), the code of the sign-in worker, on this thread: every outcome of
 * reading a body, and the counting rules.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PageBytes } from '../../src/graph/page-bytes.js';
import type { KeptJson, Row } from '../../src/graph/sign-in-pages.js';
import { SignInPageCounter } from '../../src/graph/sign-in-pages.js';

const FIELDS = ['userId', 'createdDateTime', 'status', 'authenticationRequirement', 'authenticationDetails', 'appId'];
const counter = (): SignInPageCounter => new SignInPageCounter(FIELDS, gunzipSync, PageBytes.parseJson);

const MFA = 'multiFactorAuthentication';
const SINGLE = 'singleFactorAuthentication';

const signIn = (userId: string, requirement: string, extra: Row = {}): Row => ({
  id: 'sign-in',
  userId,
  createdDateTime: '2026-11-20T10:00:00Z',
  status: { errorCode: 0, failureReason: 'Other.' },
  authenticationRequirement: requirement,
  correlationId: 'not kept',
  ...extra,
});

describe('a body read on the worker', () => {
  const body = (value: unknown, gzipped = true): { bytes: Uint8Array; gzipped: boolean } => {
    const text = Buffer.from(JSON.stringify(value));
    return { bytes: gzipped ? gzipSync(text) : text, gzipped };
  };

  it('gives the rows, the single-factor rows kept (reduced) and the next link, compressed or not', () => {
    for (const gzipped of [true, false]) {
      const { bytes } = body(
        { value: [signIn('A', SINGLE), signIn('b', MFA)], '@odata.nextLink': 'https://next' },
        gzipped,
      );
      expect(counter().readBody(bytes, gzipped, SINGLE)).toEqual({
        type: 'page',
        rows: 2,
        kept: [
          {
            userId: 'A',
            createdDateTime: '2026-11-20T10:00:00Z',
            status: { errorCode: 0 },
            authenticationRequirement: SINGLE,
          },
        ],
        nextLink: 'https://next',
      });
    }
  });

  it('no next link when it is absent, empty or not a string; no rows when value is not an array', () => {
    const c = counter();
    for (const link of [undefined, '', 5]) {
      const { bytes } = body({ value: 'rows', '@odata.nextLink': link });
      expect(c.readBody(bytes, true, MFA)).toEqual({ type: 'page', rows: 0, kept: [], nextLink: undefined });
    }
  });

  it('not JSON, cut short, not decompressible, empty, or JSON but not an object: each said as such', () => {
    const c = counter();
    const text = Buffer.from(JSON.stringify({ value: [signIn('a', MFA)] }));
    expect(c.readBody(text.subarray(0, text.length - 3), false, MFA)).toEqual({ type: 'invalid' });
    expect(c.readBody(gzipSync(Buffer.from('{"value":[')), true, MFA)).toEqual({ type: 'invalid' });
    expect(c.readBody(text, true, MFA)).toMatchObject({ type: 'unreadable', code: 'Z_DATA_ERROR' });
    const gz = gzipSync(text);
    expect(c.readBody(gz.subarray(0, gz.length - 10), true, MFA)).toMatchObject({
      type: 'unreadable',
      code: 'Z_BUF_ERROR',
      message: 'unexpected end of file',
    });
    expect(c.readBody(gzipSync(Buffer.alloc(0)), true, MFA)).toEqual({ type: 'empty' });
    expect(c.readBody(Buffer.from('[1,2]'), false, MFA)).toEqual({ type: 'value', value: [1, 2] });
    expect(c.readBody(Buffer.from('null'), false, MFA)).toEqual({ type: 'value', value: null });
    // None of these counted anything.
    expect(c.counts()).toEqual([]);
  });
});

describe('a body read for another thread', () => {
  it('sends the kept rows as JSON text in chunks of 100 rows', () => {
    const rows = Array.from({ length: 250 }, (_, i) => signIn(`u${i}`, SINGLE));
    const reply = counter().handle({
      type: 'body',
      bytes: gzipSync(JSON.stringify({ value: rows })),
      gzipped: true,
      kind: SINGLE,
    });
    const { keptJson } = reply as { keptJson: KeptJson };
    expect(keptJson.count).toBe(250);
    expect(keptJson.chunks.map((c) => (JSON.parse(c) as Row[]).length)).toEqual([100, 100, 50]);
    expect(keptJson.chunks.flatMap((c) => JSON.parse(c) as Row[]).map((r) => r.userId)).toEqual(
      rows.map((r) => r.userId),
    );
  });

  it('sends the kept rows as JSON text, which parses to the same rows; a row holding -0 is sent as it is', () => {
    const rows = [signIn('a', SINGLE, { appId: 'x', location: { city: 'Oslo', geoCoordinates: { latitude: 1.5 } } })];
    const bytes = gzipSync(JSON.stringify({ value: rows }));
    const reply = counter().handle({ type: 'body', bytes, gzipped: true, kind: SINGLE });
    expect(reply).toMatchObject({ type: 'page', rows: 1, kept: [] });
    const direct = counter().readBody(bytes, true, SINGLE);
    const { keptJson } = reply as { keptJson: KeptJson };
    expect(keptJson.count).toBe(1);
    expect(keptJson.chunks.flatMap((c) => JSON.parse(c) as Row[])).toStrictEqual((direct as { kept: Row[] }).kept);
    const negativeZero = JSON.stringify({ value: [signIn('a', SINGLE, { appId: 'zero' })] }).replace('"zero"', '-0');
    const withZero = counter().handle({ type: 'body', bytes: gzipSync(negativeZero), gzipped: true, kind: SINGLE });
    expect(withZero).not.toHaveProperty('keptJson');
    expect(Object.is((withZero as { kept: Row[] }).kept[0]!.appId, -0)).toBe(true);
  });
});

describe('counting', () => {
  it('re-checks every row: the requirement asked, a single-factor success (errorCode 0), a user id', () => {
    const c = counter();
    const kept = c.countRows(
      [
        signIn('a', SINGLE),
        signIn('a', SINGLE, { status: { errorCode: 50126 } }),
        signIn('a', SINGLE, { status: 'ok' }),
        signIn('a', MFA),
        signIn('', SINGLE),
        { ...signIn('x', SINGLE), userId: 5 },
        null,
        [signIn('a', SINGLE)],
      ],
      SINGLE,
    );
    expect(kept).toHaveLength(1);
    expect(c.countRows([signIn('a', MFA), signIn('b', SINGLE)], MFA)).toEqual([]);
    expect(c.counts()).toEqual([['a', { mfa: 1, mfaByClaim: 0, singleFactor: 1 }]]);
  });

  it('counts MFA satisfied by a claim, and keeps only the step results of a single-factor row', () => {
    const c = counter();
    const claim = [{ authenticationStepResultDetail: 'MFA requirement satisfied by claim in the token' }];
    c.countRows([signIn('a', MFA, { authenticationDetails: claim }), signIn('a', MFA)], MFA);
    const kept = c.countRows(
      [
        signIn('a', SINGLE, {
          authenticationDetails: [
            { authenticationMethod: 'Password', authenticationStepResultDetail: 'Correct password' },
            'not an object',
          ],
        }),
      ],
      SINGLE,
    );
    expect(kept[0]!.authenticationDetails).toEqual([{ authenticationStepResultDetail: 'Correct password' }]);
    expect(c.counts()).toEqual([['a', { mfa: 2, mfaByClaim: 1, singleFactor: 1 }]]);
  });

  it('adds up the counts of ids spelt in more than one case, under the lower-case id, in order of first sight', () => {
    const c = counter();
    c.countRows([signIn('B', MFA), signIn('A', MFA), signIn('b', MFA), signIn('a', MFA), signIn('a', MFA)], MFA);
    expect(c.counts()).toEqual([
      ['b', { mfa: 2, mfaByClaim: 0, singleFactor: 0 }],
      ['a', { mfa: 3, mfaByClaim: 0, singleFactor: 0 }],
    ]);
  });

  it('names the users a reply counted first, in order, and gives the numbers in that order at the end', () => {
    const c = counter();
    const body = (rows: Row[]): { type: 'body'; bytes: Uint8Array; gzipped: boolean; kind: typeof MFA } => ({
      type: 'body',
      bytes: Buffer.from(JSON.stringify({ value: rows })),
      gzipped: false,
      kind: MFA,
    });
    const first = c.handle(body([signIn('B', MFA), signIn('a', MFA), signIn('b', MFA)]));
    const second = c.handle(body([signIn('A', MFA), signIn('__proto__', MFA), signIn('12', MFA)]));
    const third = c.handle({ type: 'rows', rows: [signIn('a', SINGLE), signIn('7', SINGLE)], kind: SINGLE });
    const repeat = c.handle(body([signIn('a', MFA)]));
    expect(first).toMatchObject({ type: 'page', newUsers: ['b', 'a'] });
    expect(second).toMatchObject({ type: 'page', newUsers: ['__proto__', '12'] });
    expect(third).toMatchObject({ type: 'kept', newUsers: ['7'] });
    expect(repeat).not.toHaveProperty('newUsers');
    const counts = c.handle({ type: 'counts' });
    expect(counts.type).toBe('counts');
    const values = (counts as { values: Float64Array }).values;
    expect([...values]).toEqual(c.counts().flatMap(([, n]) => [n.mfa, n.mfaByClaim, n.singleFactor]));
    expect(c.counts().map(([id]) => id)).toEqual(['b', 'a', '__proto__', '12', '7']);
  });
});
