/**
 * `mfa-audit token` guides a person: it says when it waits on a terminal, recognises the output of
 * `az account get-access-token` piped whole, and says how to fix each failing check.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { tokenFixLines } from '../../src/cli/token-fixes.js';
import type { TokenReport } from '../../src/core/token/types.js';
import { memoryIo } from '../helpers/io.js';
import { FIXTURE_NOW, generateTestKey, signFixture } from '../helpers/tokens.js';
import type { TestKey } from '../helpers/tokens.js';

const NOW = ['--now', FIXTURE_NOW.toISOString(), '--format', 'json'];
const WAITING = 'mfa-audit: waiting for a token on stdin (paste it, then Ctrl-D)…\n';
let key: TestKey;
let withMfa: string;
let passwordOnly: string;

beforeAll(async () => {
  key = await generateTestKey();
  withMfa = await signFixture('pc-v1-app-user-mfa', key);
  passwordOnly = await signFixture('pc-v1-app-user-password-only', key);
});

async function run(args: string[], input: string | undefined, terminal: boolean, tty = false) {
  const io = memoryIo({ input, tty });
  io.stdin.isTTY = terminal;
  const code = await runCli(['token', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe("token '-' on a terminal", () => {
  it('says first that it waits for a token on stdin', async () => {
    const r = await run(['-', ...NOW], withMfa + '\n', true);
    expect(r.code).toBe(0);
    expect(r.err).toBe(WAITING);
  });

  it('says nothing when stdin is a pipe', async () => {
    const r = await run(['-', ...NOW], withMfa + '\n', false);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
  });
});

describe('the output of az account get-access-token, piped whole', () => {
  it('as JSON: refused with the az options that print the token alone, never showing it', async () => {
    const json = JSON.stringify(
      { accessToken: withMfa, expiresOn: '2026-11-21 12:35:00.000000', tenant: 't', tokenType: 'Bearer' },
      null,
      2,
    );
    for (const dash of [false, true]) {
      const r = await run(dash ? ['-', ...NOW] : NOW, json + '\n', false);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toBe(
        "mfa-audit: stdin holds the output of 'az account get-access-token', not a token alone: add " +
          "'--query accessToken -o tsv' to the az command\n",
      );
      expect(r.err).not.toContain(withMfa.split('.')[1]);
    }
  });

  it('as TSV without --query: the same hint', async () => {
    const r = await run(NOW, `${withMfa}\t2026-11-21 12:35:00.000000\tsub\ttenant\tBearer\n`, false);
    expect(r.code).toBe(2);
    expect(r.err).toContain("add '--query accessToken -o tsv'");
  });
});

describe('a failing token gets the fix', () => {
  it('one line per failing check on stderr at a terminal, after the report', async () => {
    const r = await run([...NOW, passwordOnly, withMfa, passwordOnly], undefined, false, true);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'mfa-audit: fix (mfa, tokens 1 and 3): sign in again with MFA, and require MFA for the app with a Conditional ' +
        "Access policy (grant: require multifactor authentication) so every token it gets carries 'mfa'\n",
    );
  });

  it('none for passing tokens, none with --quiet, none when stderr is not a terminal', async () => {
    expect((await run([...NOW, withMfa], undefined, false, true)).err).toBe('');
    expect((await run([...NOW, '-q', passwordOnly], undefined, false, true)).err).toBe('');
    expect((await run([...NOW, passwordOnly], undefined, false, false)).err).toBe('');
  });

  it('names every failing check in check order, and shortens long lists of tokens', () => {
    const result = (index: number, failing: string[]) => ({
      index,
      verdict: 'fail' as const,
      kind: 'app+user' as const,
      claims: {},
      checks: (['mfa', 'audience', 'lifetime', 'signature'] as const).map((id) => ({
        id,
        status: failing.includes(id) ? ('fail' as const) : ('pass' as const),
        message: '',
      })),
    });
    const report: TokenReport = {
      results: [0, 1, 2, 3, 4].map((i) => result(i, ['lifetime', 'mfa'])).concat(result(5, ['signature'])),
    };
    const lines = tokenFixLines(report);
    expect(lines.map((line) => line.split(':')[0])).toEqual([
      'fix (mfa, tokens 1, 2, 3 and 2 more)',
      'fix (lifetime, tokens 1, 2, 3 and 2 more)',
      'fix (signature, token 6)',
    ]);
  });
});
