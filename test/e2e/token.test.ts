/** End to end: spawn the BUILT CLI (`npm run build` first) and assert exit codes, JSON and stderr. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTls } from '../helpers/tls.js';
import type { TestKey } from '../helpers/tokens.js';
import { generateTestKey, jwksOf, loadClaims, signFixture, signNonceClaims } from '../helpers/tokens.js';

const BIN = new URL('../../bin/mfa-audit.js', import.meta.url).pathname;
const NOW = ['--now', '2026-11-21T12:00:00Z'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  args: string[],
  options: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {},
): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? dir,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.on('error', () => {}); // the CLI may stop reading a huge stdin early (EPIPE)
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

interface JsonReport {
  verify: boolean;
  results: {
    index: number;
    verdict: string;
    kind: string;
    checks: { id: string; status: string; message: string }[];
    claims: Record<string, unknown>;
  }[];
}
const json = (r: Run) => JSON.parse(r.stdout) as JsonReport;
const status = (r: Run, i: number, id: string) => json(r).results[i]?.checks.find((c) => c.id === id)?.status;

/** Exactly one line on stderr, the CLI's prefix, no stack trace, nothing on stdout. */
function expectOneLineError(r: Run, code: number, pattern: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^mfa-audit: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).toMatch(pattern);
}

let dir: string;
let key: TestKey;
let other: TestKey;
let server: Server;
let jwksUrl: string;
let caFile: string;
const t: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mfa-audit-e2e-token-'));
  [key, other] = await Promise.all([generateTestKey('key-1'), generateTestKey('key-other')]);
  for (const name of [
    'pc-v1-app-user-mfa',
    'pc-v1-app-user-password-only',
    'pc-v1-app-user-no-amr',
    'pc-v1-app-only',
    'api-v2-app-user-no-amr',
    'pc-v1-global-admin-mfa',
  ]) {
    t[name] = await signFixture(name, key);
  }
  t.forged = await signFixture('pc-v1-app-user-mfa', other);
  t.graph = await signNonceClaims(loadClaims('graph-v1-app-user-mfa'), key, 'graph-nonce-value');
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(jwksOf(key)));
  const tls = await testTls();
  caFile = tls.caFile;
  server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    res.writeHead(req.url === '/keys' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(req.url === '/keys' ? JSON.stringify(jwksOf(key)) : '{}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  jwksUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
});

describe('mfa-audit token: verdicts and exit codes', () => {
  it('0: a Partner Center App+User token with mfa, piped on stdin', async () => {
    const r = await run(['token', ...NOW], { input: t['pc-v1-app-user-mfa'] + '\n' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = json(r);
    expect(report.results[0]).toMatchObject({ index: 0, verdict: 'pass', kind: 'app+user' });
    expect(report.results[0]?.checks.map((c) => c.id)).toEqual([
      'mfa',
      'app-user',
      'audience',
      'scope',
      'lifetime',
      'signature',
    ]);
    expect(report.results[0]?.claims.amr).toEqual(['pwd', 'mfa']);
  });

  it("1: amr without 'mfa' and without amr", async () => {
    const r = await run(['token', ...NOW, '-'], {
      input: `${t['pc-v1-app-user-password-only']}\n${t['pc-v1-app-user-no-amr']}\n`,
    });
    expect(r.code).toBe(1);
    expect(json(r).results.map((x) => x.verdict)).toEqual(['fail', 'fail']);
    expect(status(r, 0, 'mfa')).toBe('fail');
  });

  it('3: a v2 token cannot show MFA (mfa unknown)', async () => {
    const r = await run(['token', ...NOW, '--profile', 'any'], { input: t['api-v2-app-user-no-amr'] });
    expect(r.code).toBe(3);
    expect(status(r, 0, 'mfa')).toBe('unknown');
  });

  it('App-only: passes with app-user warn; --require-app-user fails it', async () => {
    const ok = await run(['token', ...NOW], { input: t['pc-v1-app-only'] });
    expect(ok.code).toBe(0);
    expect(json(ok).results[0]).toMatchObject({ kind: 'app-only', verdict: 'pass' });
    expect(status(ok, 0, 'app-user')).toBe('warn');
    const strict = await run(['token', ...NOW, '--require-app-user'], { input: t['pc-v1-app-only'] });
    expect(strict.code).toBe(1);
  });

  it('1: an expired token (--now after exp)', async () => {
    const r = await run(['token', '--now', '2026-11-21T15:35:00Z'], { input: t['pc-v1-app-user-mfa'] });
    expect(r.code).toBe(1);
    expect(json(r).results[0]?.checks.find((c) => c.id === 'lifetime')?.message).toBe(
      'expired 3 h ago (exp 2026-11-21T12:35:00Z)',
    );
  });

  it('--file: one token per line, blank lines skipped, Bearer and quotes tolerated', async () => {
    writeFileSync(
      join(dir, 'tokens.txt'),
      `Bearer ${t['pc-v1-app-user-mfa']}\n\n"${t['pc-v1-app-only']}"\n   \n  ${t['pc-v1-app-user-password-only']}  \n`,
    );
    const r = await run(['token', ...NOW, '--file', 'tokens.txt']);
    expect(r.code).toBe(1);
    expect(json(r).results.map((x) => [x.index, x.verdict])).toEqual([
      [0, 'pass'],
      [1, 'pass'],
      [2, 'fail'],
    ]);
  });

  it('a token as an argument, with a Bearer prefix and quotes', async () => {
    const r = await run(['token', ...NOW, `'Bearer ${t['pc-v1-app-user-mfa']}'`]);
    expect(r.code).toBe(0);
  });

  it('--profile graph / --audience / --scope', async () => {
    const graph = await run(['token', ...NOW, '--profile', 'graph', '--scope', 'Directory.Read.All'], {
      input: t.graph,
    });
    expect(graph.code).toBe(0);
    const pc = await run(['token', ...NOW], { input: t.graph });
    expect(pc.code).toBe(1);
    expect(status(pc, 0, 'audience')).toBe('fail');
    const aud = await run(
      ['token', ...NOW, '--audience', '7b5e1f3a-2c4d-4e6f-8a9b-0c1d2e3f4a5b', '--scope', 'access_as_user'],
      {
        input: t['api-v2-app-user-no-amr'],
      },
    );
    expect(aud.code).toBe(3);
    expect(status(aud, 0, 'audience')).toBe('pass');
    expect(status(aud, 0, 'scope')).toBe('pass');
  });
});

describe('mfa-audit token --verify', () => {
  it('verifies against --jwks FILE; a token signed by another key fails', async () => {
    const r = await run(['token', ...NOW, '--verify', '--jwks', 'keys.json', '-'], {
      input: `${t['pc-v1-app-user-mfa']}\n${t.forged}\n`,
    });
    expect(r.code).toBe(1);
    expect(json(r).verify).toBe(true);
    expect(status(r, 0, 'signature')).toBe('pass');
    expect(status(r, 1, 'signature')).toBe('fail');
  });

  it('verifies against --jwks https://127.0.0.1:PORT/keys (NODE_EXTRA_CA_CERTS)', async () => {
    const r = await run(['token', ...NOW, '--verify', '--jwks', jwksUrl], {
      input: t['pc-v1-app-user-mfa'],
      env: { NODE_EXTRA_CA_CERTS: caFile },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(status(r, 0, 'signature')).toBe('pass');
  });

  it('3: JWKS unreachable means signature unknown, never pass', async () => {
    const r = await run(['token', ...NOW, '--verify', '--jwks', 'https://127.0.0.1:1/keys'], {
      input: t['pc-v1-app-user-mfa'],
    });
    expect(r.code).toBe(3);
    expect(status(r, 0, 'signature')).toBe('unknown');
  });

  it('0: a Graph token (nonce header) verifies over the hashed nonce; signed by another key it fails', async () => {
    const r = await run(['token', ...NOW, '--profile', 'graph', '--verify', '--jwks', 'keys.json'], { input: t.graph });
    expect(r.code).toBe(0);
    const check = json(r).results[0]?.checks.find((c) => c.id === 'signature');
    expect(check?.status).toBe('pass');
    expect(check?.message).not.toMatch(/third parties/);
    const forged = await signNonceClaims(loadClaims('graph-v1-app-user-mfa'), other, 'graph-nonce-value', {
      kid: key.kid,
      x5t: key.kid,
    });
    const bad = await run(['token', ...NOW, '--profile', 'graph', '--verify', '--jwks', 'keys.json'], {
      input: forged,
    });
    expect(bad.code).toBe(1);
    expect(status(bad, 0, 'signature')).toBe('fail');
  });

  it('table output says "decoded only" without --verify', async () => {
    const r = await run(['token', ...NOW, '--format', 'table'], { input: t['pc-v1-app-user-mfa'] });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('signature not verified (decoded only)');
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });
});

describe('mfa-audit token: formats and output', () => {
  it('--format markdown --output FILE writes the whole report to the file', async () => {
    const r = await run(['token', ...NOW, '--format', 'markdown', '--output', 'out/report.md'], {
      input: t['pc-v1-global-admin-mfa'],
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const text = readFileSync(join(dir, 'out/report.md'), 'utf8');
    expect(text).toMatch(/^# mfa-audit: token report/);
    expect(text).toMatch(/Secure Application Model/);
  });

  it('never prints a token or its signature', async () => {
    const token = t['pc-v1-app-user-mfa'] ?? '';
    const signature = token.split('.')[2] ?? '';
    for (const format of ['json', 'table', 'markdown']) {
      const r = await run(['token', ...NOW, '--format', format], { input: token });
      expect(r.stdout).not.toContain(signature);
      expect(r.stdout).not.toContain(token);
    }
  });

  it('--help recommends stdin', async () => {
    const r = await run(['token', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/prefer stdin/);
  });
});

describe('mfa-audit token: bad input is one line on stderr and exit 2', () => {
  it('not a JWT names the token', async () => {
    const r = await run(['token', ...NOW, t['pc-v1-app-user-mfa'] ?? '', 'hello']);
    expectOneLineError(r, 2, /^mfa-audit: token 2 is not a JWT \(expected three base64url parts separated by '\.'\)$/m);
  });
  it('a JWE', async () => {
    expectOneLineError(await run(['token', 'aaa.bbb.ccc.ddd.eee']), 2, /encrypted token \(JWE/);
  });
  it('bad base64url and a non-JSON payload, on stdin lines', async () => {
    const [h, , s] = (t['pc-v1-app-user-mfa'] ?? '').split('.');
    expectOneLineError(
      await run(['token'], { input: `${h}.%%%.${s}\n` }),
      2,
      /token 1 \(stdin\) is not a JWT: its payload is not base64url/,
    );
    const notJson = `${h}.${Buffer.from('hello').toString('base64url')}.${s}`;
    expectOneLineError(
      await run(['token'], { input: `${t['pc-v1-app-only']}\n${notJson}\n` }),
      2,
      /token 2 \(stdin line 2\) is not a JWT: its payload is not JSON/,
    );
  });
  it('an empty stdin', async () => {
    expectOneLineError(await run(['token'], { input: '' }), 2, /stdin is empty/);
  });
  it('a 100 MB stdin', async () => {
    const r = await run(['token'], { input: Buffer.alloc(100 * 1024 * 1024, 'a') });
    expectOneLineError(r, 2, /stdin is larger than 32 MiB/);
  });
  it('a missing file', async () => {
    expectOneLineError(await run(['token', '--file', 'nope.txt']), 2, /cannot read --file nope\.txt: no such file/);
  });
  it('usage errors: unknown flag, profile, format, --now; --acquire with tokens', async () => {
    expectOneLineError(await run(['token', '--bogus']), 2, /unknown option '--bogus'/);
    expectOneLineError(
      await run(['token', '--profile', 'azure'], { input: t['pc-v1-app-user-mfa'] }),
      2,
      /unknown profile 'azure'/,
    );
    expectOneLineError(
      await run(['token', '--format', 'xml'], { input: t['pc-v1-app-user-mfa'] }),
      2,
      /unknown format 'xml'/,
    );
    expectOneLineError(
      await run(['token', '--now', 'yesterday'], { input: t['pc-v1-app-user-mfa'] }),
      2,
      /--now yesterday is not an ISO-8601/,
    );
    expectOneLineError(await run(['token', '--acquire', 'abc']), 2, /--acquire audits the token it signs in for/);
  });
  it('a missing --jwks file', async () => {
    expectOneLineError(
      await run(['token', '--verify', '--jwks', 'none.json'], { input: t['pc-v1-app-user-mfa'] }),
      2,
      /cannot read --jwks none\.json/,
    );
  });
});

describe('mfa-audit token: explanations', () => {
  it('explains claims for up to 3 tokens, and for more only with --verbose', async () => {
    const few = await run(['token', ...NOW], { input: t['pc-v1-app-user-mfa'] });
    expect(JSON.parse(few.stdout).results[0].explanation).toBeDefined();
    const four = Array.from({ length: 4 }, () => t['pc-v1-app-user-mfa']).join('\n');
    const many = await run(['token', ...NOW], { input: four });
    expect(JSON.parse(many.stdout).results[0].explanation).toBeUndefined();
    const verbose = await run(['token', ...NOW, '--verbose'], { input: four });
    expect(JSON.parse(verbose.stdout).results[3].explanation).toBeDefined();
  });
});
