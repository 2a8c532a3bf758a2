/** Two tokens on one line are named as such (not "an encrypted token"), with how to separate them. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { decodeToken } from '../../src/input/token-decode.js';
import { decodeTokens, readTokenInputs } from '../../src/input/token-input.js';
import { rawToken } from '../helpers/tokens.js';
import { memoryIo } from '../helpers/io.js';

const A = rawToken('{"alg":"RS256","typ":"JWT"}', '{"aud":"a","amr":["mfa"]}', 'c2lnbmF0dXJlLWE');
const B = rawToken('{"alg":"RS256","typ":"JWT"}', '{"aud":"b","amr":["pwd"]}', 'c2lnbmF0dXJlLWI');

function errorOf(text: string): string {
  try {
    decodeToken(text, 'token 1');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('two tokens on one line', () => {
  for (const [name, text] of [
    ['a space', `${A} ${B}`],
    ['a tab', `${A}\t${B}`],
    ['a comma', `${A},${B}`],
    ['a semicolon and spaces', `${A}; ${B}`],
    ['Bearer prefixes', `Bearer ${A} Bearer ${B}`],
    ['nothing at all', `${A}${B}`],
  ]) {
    it(`separated by ${name}`, () => {
      const message = errorOf(text as string);
      expect(message).not.toMatch(/encrypted|JWE/);
      expect(message).toMatch(/^token 1 holds 2 tokens on one line: give one per line, or each as its own argument$/);
      expect(message).not.toContain(A.split('.')[1]);
    });
  }

  it('counts three', () => {
    expect(errorOf(`${A} ${B} ${A}`)).toMatch(/holds 3 tokens on one line/);
  });

  it('a real JWE is still a JWE', () => {
    const jwe = `${Buffer.from('{"alg":"RSA-OAEP","enc":"A256GCM"}').toString('base64url')}.a.b.c.d`;
    expect(errorOf(jwe)).toMatch(/encrypted token \(JWE, five parts\)/);
    expect(errorOf('a.b.c.d.e')).toMatch(/encrypted token \(JWE, five parts\)/);
  });

  it('names the stdin line', async () => {
    const raw = await readTokenInputs(['-'], {}, memoryIo({ input: `${A}\n${A} ${B}\n` }));
    expect(() => decodeTokens(raw)).toThrow(/^token 2 \(stdin line 2\) holds 2 tokens on one line/);
  });
});
