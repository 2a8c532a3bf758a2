/**
 * End to end (the BUILT CLI): a token as a tenant flag value is refused unseen; a snapshot that is not JSON is
 * described by position and escaped excerpt; --now needs a time zone; two tokens on one line are named as such.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadClaims, rawToken } from '../helpers/tokens.js';
import type { CliRun } from '../helpers/built-cli.js';
import { runBuiltCli } from '../helpers/built-cli.js';

const NOW = ['--now', '2026-11-21T12:00:00Z'];
const ESC = String.fromCharCode(27);
const TOKEN = rawToken(
  '{"alg":"RS256","typ":"JWT"}',
  JSON.stringify(loadClaims('pc-v1-app-user-mfa')),
  'c2lnbmF0dXJlLW9mLWEtdGVzdC10b2tlbi10aGF0LWlzLWxvbmc',
);

type Run = CliRun;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mfa-audit-secrets-e2e-'));
});

function run(args: string[], input?: string): Promise<Run> {
  return runBuiltCli(args, { cwd: dir, input });
}

function expectOneLine(r: Run, code: number, message: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

describe('secrets', () => {
  for (const flag of ['--snapshot', '--baseline', '--config', '--now', '--output']) {
    it(`tenant ${flag} TOKEN: refused, the token not shown`, async () => {
      const args = flag === '--snapshot' ? [...NOW, flag, TOKEN] : ['--demo', ...NOW, flag, TOKEN];
      const r = await run(['tenant', ...args]);
      expectOneLine(r, 2, new RegExp(`the value of ${flag} looks like an access token \\(not shown\\)`));
      for (const part of TOKEN.split('.').slice(1)) expect(r.stderr).not.toContain(part);
    });
  }

  it('a snapshot that is not JSON: line, column, escaped excerpt; no raw escape sequence', async () => {
    writeFileSync(join(dir, 'hostile.json'), `{"format": ${ESC}]0;owned\u0007${ESC}[2J}`);
    const r = await run(['tenant', '--snapshot', 'hostile.json', ...NOW]);
    expectOneLine(r, 2, /snapshot .*hostile\.json: not valid JSON at line 1, column 12: unexpected character/);
    expect(r.stderr).toContain('\\u001b]0;owned\\u0007\\u001b[2J');
    expect(r.stderr).not.toContain(ESC);
  });
});

describe('failing fast and clearly', () => {
  it('tenant --now without a time zone: exit 2, and how a date alone is read', async () => {
    const r = await run(['tenant', '--demo', '--now', '2026-11-21T12:00:00']);
    expectOneLine(r, 2, /--now '2026-11-21T12:00:00' has no time zone: .*a date alone is read as midnight UTC/);
  });

  it('token: two tokens on one line (stdin) are named as such', async () => {
    const r = await run(['token', '-', ...NOW], `${TOKEN} ${TOKEN}\n`);
    expectOneLine(r, 2, /token 1 \(stdin\) holds 2 tokens on one line: give one per line, or each as its own argument/);
    expect(r.stderr).not.toMatch(/JWE|encrypted/);
  });
});
