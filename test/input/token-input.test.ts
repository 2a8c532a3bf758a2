import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../src/errors.js';
import { decodeToken, normaliseToken } from '../../src/input/token-decode.js';
import { decodeTokens, readTokenInputs } from '../../src/input/token-input.js';
import { memoryIo } from '../helpers/io.js';
import { b64url, rawToken } from '../helpers/tokens.js';

const good = rawToken('{"alg":"RS256","typ":"JWT"}', '{"aud":"x","amr":["mfa"]}');

describe('normaliseToken', () => {
  it('tolerates Bearer prefixes, Authorization headers, quotes and whitespace', () => {
    for (const text of [
      good,
      ` ${good}\n`,
      `Bearer ${good}`,
      `bearer   ${good}`,
      `"${good}"`,
      `'Bearer ${good}'`,
      `Authorization: Bearer ${good}`,
      `"Bearer ${good}"\r`,
    ]) {
      expect(normaliseToken(text)).toBe(good);
    }
  });
});

describe('decodeToken', () => {
  it('decodes header and payload', () => {
    const decoded = decodeToken(`Bearer ${good}`, 'token 1');
    expect(decoded.header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(decoded.payload).toEqual({ aud: 'x', amr: ['mfa'] });
  });

  const cases: [string, string, RegExp][] = [
    ['not a JWT', 'hello', /^token 2 is not a JWT \(expected three base64url parts separated by '\.'\)$/],
    ['two parts', 'abc.def', /is not a JWT \(expected three/],
    ['a JWE', 'a.b.c.d.e', /is an encrypted token \(JWE, five parts\)/],
    ['bad base64url', `${b64url('{"alg":"RS256"}')}.pay*load.sig`, /its payload is not base64url/],
    ['non-JSON payload', rawToken('{"alg":"RS256"}', 'not json'), /its payload is not JSON/],
    ['non-object payload', rawToken('{"alg":"RS256"}', '[1,2]'), /its payload is not a JSON object/],
    ['null payload', rawToken('{"alg":"RS256"}', 'null'), /its payload is not a JSON object/],
    ['non-object header', rawToken('"x"', '{}'), /its header is not a JSON object/],
    ['empty', '   ', /^token 2 is empty$/],
    ['empty payload part', `${b64url('{"alg":"RS256"}')}..sig`, /its payload part is empty/],
    ['bad signature', `${b64url('{"alg":"RS256"}')}.${b64url('{}')}.si+g`, /signature is not base64url/],
    [
      'invalid UTF-8',
      `${b64url('{"alg":"RS256"}')}.${Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')}.sig`,
      /not UTF-8/,
    ],
    ['JWE header with three parts', rawToken('{"alg":"RSA-OAEP","enc":"A256GCM"}', '{}'), /encrypted token/],
  ];
  for (const [name, text, message] of cases) {
    it(`rejects ${name} with one InputError line that does not repeat the token`, () => {
      let error: unknown;
      try {
        decodeToken(text, 'token 2');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      const msg = (error as Error).message;
      expect(msg).toMatch(message);
      expect(msg).not.toContain('\n');
      if (text.trim().length > 8) expect(msg).not.toContain(text.trim());
    });
  }

  it('rejects a huge value without decoding it', () => {
    expect(() => decodeToken('a'.repeat(300_000) + '.b.c', 'token 1')).toThrow(/not an access token/);
  });
});

describe('readTokenInputs', () => {
  it('takes arguments in order, with stdin where - stands', async () => {
    const io = memoryIo({ input: `\n${good}\n\n` });
    const tokens = await readTokenInputs(['a', '-', 'b'], {}, io);
    expect(tokens.map((t) => t.source)).toEqual(['argument 1', 'stdin', 'argument 3']);
  });

  it('reads piped stdin when no argument is given, one token per line', async () => {
    const io = memoryIo({ input: `${good}\n\nBearer ${good}\n` });
    const tokens = await readTokenInputs([], {}, io);
    expect(tokens.map((t) => t.source)).toEqual(['stdin line 1', 'stdin line 3']);
    expect(decodeTokens(tokens)).toHaveLength(2);
  });

  it('is a usage error with nothing given at a terminal', async () => {
    await expect(readTokenInputs([], {}, memoryIo())).rejects.toBeInstanceOf(UsageError);
  });

  it('rejects an empty stdin', async () => {
    await expect(readTokenInputs([], {}, memoryIo({ input: '\n  \n' }))).rejects.toThrow(/stdin is empty/);
  });

  it('caps what it reads from stdin', async () => {
    const io = memoryIo({ input: 'x'.repeat(33 * 1024 * 1024) });
    await expect(readTokenInputs(['-'], {}, io)).rejects.toThrow(/stdin is larger than 32 MiB/);
  });

  it('reads --file one token per line, skipping blank lines, and names lines in errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-tokens-'));
    writeFileSync(join(dir, 'tokens.txt'), `${good}\n\n  \n${good}\nnot-a-token\n`);
    const tokens = await readTokenInputs([], { file: 'tokens.txt' }, memoryIo({ cwd: dir }));
    expect(tokens.map((t) => t.source)).toEqual(['tokens.txt line 1', 'tokens.txt line 4', 'tokens.txt line 5']);
    expect(() => decodeTokens(tokens)).toThrow(
      "token 3 (tokens.txt line 5) is not a JWT (expected three base64url parts separated by '.')",
    );
  });

  it('rejects a missing file, a directory and an empty file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-tokens-'));
    writeFileSync(join(dir, 'empty.txt'), '\n\n');
    const io = memoryIo({ cwd: dir });
    await expect(readTokenInputs([], { file: 'missing.txt' }, io)).rejects.toThrow(
      'cannot read --file missing.txt: no such file',
    );
    await expect(readTokenInputs([], { file: '.' }, io)).rejects.toThrow(/is a directory/);
    await expect(readTokenInputs([], { file: 'empty.txt' }, io)).rejects.toThrow(/holds no token/);
  });

  it("allows '-' only once", async () => {
    await expect(readTokenInputs(['-', '-'], {}, memoryIo({ input: good }))).rejects.toBeInstanceOf(UsageError);
  });
});
