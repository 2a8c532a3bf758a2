/** A file that is not JSON: a position and an escaped excerpt, never the raw bytes (terminal escapes included). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadBaseline } from '../../src/input/baseline.js';
import { loadConfig } from '../../src/input/config.js';
import { describeJsonSyntaxError, readJsonFile } from '../../src/input/json-file.js';
import { rawToken } from '../helpers/tokens.js';

const ESC = String.fromCharCode(27);
const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-json-syntax-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function messageOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('no error');
}

/** Nothing a terminal acts on: no C0/C1 control, DEL or bidi control. */
// eslint-disable-next-line no-control-regex -- the point of the check
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('JSON syntax errors in config and baseline files', () => {
  const hostile = `{\n  "format": "table",\n  "x": ${ESC}]0;pwned\u0007${ESC}[2J\u202e oops\n}\n`;

  it('config: line, column and an escaped excerpt', async () => {
    const message = await messageOf(loadConfig({ cwd: dir }, file('c.json', hostile)));
    expect(message).toMatch(/^config '.*c\.json': not valid JSON at line 3, column 8: unexpected character/);
    expect(message).toContain('\\u001b]0;pwned\\u0007\\u001b[2J');
    expect(message).not.toMatch(UNSAFE);
  });

  it('baseline: the same', async () => {
    const message = await messageOf(loadBaseline('b.json', file('b.json', hostile).replace(/b\.json$/, '')));
    expect(message).toMatch(/^baseline 'b\.json': not valid JSON at line 3, column 8/);
    expect(message).not.toMatch(UNSAFE);
  });

  it('readJsonFile: bidi controls and C1 controls are escaped too', async () => {
    const message = await messageOf(readJsonFile(file('d.json', '{"a": \u202e\u009b31m}'), "'d.json'", 'config'));
    expect(message).toContain('\\u202e\\u009b31m');
    expect(message).not.toMatch(UNSAFE);
  });
});

describe('describeJsonSyntaxError', () => {
  const cases: [string, string, RegExp][] = [
    ['a trailing comma', '{"a": 1,}', /^not valid JSON at line 1, column 9: expected a property name in double quotes/],
    ['a missing colon', '{"a" 1}', /at line 1, column 6: expected ':'/],
    ['a missing comma', '[1 2]', /at line 1, column 4: expected ',' or '\]'/],
    ['the end of input', '{"a": [1, 2', /at line 1, column 12: unexpected end of input/],
    ['an empty file', '', /at line 1, column 1: unexpected end of input/],
    ['text after the value', '{} {}', /at line 1, column 4: unexpected text after the JSON value/],
    ['a raw control character in a string', '{"a": "x\ty"}', /at line 1, column 9: control character in a string/],
    ['a bad escape', '{"a": "\\x"}', /at line 1, column 9: invalid escape in a string/],
    ['a bad number', '{"a": -x}', /at line 1, column 7: invalid number/],
    ['a bad literal', '{"a": nul}', /at line 1, column 7: unexpected character/],
    ['lines after a BOM-less CRLF', '{\r\n"a":\r\n  ?}', /at line 3, column 3: unexpected character/],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      expect(describeJsonSyntaxError(text)).toMatch(expected);
    });
  }

  it('quotes a short excerpt around the position, escaped, and never a token near it', () => {
    const long = `{"a": "${'x'.repeat(200)}" ! "${'y'.repeat(200)}"}`;
    const message = describeJsonSyntaxError(long);
    expect(message.length).toBeLessThan(160);
    expect(message).toMatch(/near "x+\\" ! \\"y+"$/);
    const token = rawToken('{"alg":"RS256"}', '{"aud":"secret-audience-value"}', 'c2lnbmF0dXJlLXNlY3JldA');
    const withToken = describeJsonSyntaxError(`{"token": "${token}" x}`);
    expect(withToken).toMatch(/excerpt not shown/);
    for (const part of token.split('.')) expect(withToken).not.toContain(part.slice(0, 8));
  });
});
