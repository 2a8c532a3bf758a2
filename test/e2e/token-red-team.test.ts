/**
 * Red team, end to end (the BUILT CLI; `npm run build` first): tokens and flags meant to get a false pass, a crash,
 * a stack trace or a printed token out of `mfa-audit token`.
 */
import { spawn } from 'node:child_process';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign, exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTls } from '../helpers/tls.js';
import type { TestKey } from '../helpers/tokens.js';
import {
  b64url,
  generateTestKey,
  jwksOf,
  loadClaims,
  rawToken,
  signClaims,
  signNonceClaims,
} from '../helpers/tokens.js';

const BIN = new URL('../../bin/mfa-audit.js', import.meta.url).pathname;
const NOW = ['--now', '2026-11-21T12:00:00Z'];
const FORMATS = ['table', 'json', 'markdown', 'csv', 'junit', 'sarif', 'html'] as const;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], options: { input?: string | Buffer; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.on('error', () => {});
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

interface JsonResult {
  verdict: string;
  checks: { id: string; status: string; message: string }[];
  claims: Record<string, unknown>;
}
const results = (r: Run) => (JSON.parse(r.stdout) as { results: JsonResult[] }).results;
const status = (r: Run, id: string, i = 0) => results(r)[i]?.checks.find((c) => c.id === id)?.status;

function expectOneLineError(r: Run, code: number, pattern: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^mfa-audit: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).toMatch(pattern);
}

const base = () => loadClaims('pc-v1-app-user-mfa');
let dir: string;
let key: TestKey;
let attacker: TestKey;
let good: string;
let server: Server;
let serverUrl: string;
let hits = 0;
let caFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mfa-audit-red-team-'));
  [key, attacker] = await Promise.all([generateTestKey('key-1'), generateTestKey('key-1')]);
  good = await signClaims(base(), key);
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(jwksOf(key)));
  const tls = await testTls();
  caFile = tls.caFile;
  server = createServer({ key: tls.key, cert: tls.cert }, (_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jwksOf(attacker)));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  serverUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
});

describe('no format ever shows the token or its signature', () => {
  it.each(FORMATS)('%s', async (format) => {
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const r = await run(['token', ...NOW, '--format', format, '--verbose'], { input: `${good}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(signature);
    expect(r.stdout).not.toContain(signature.slice(0, 24));
    expect(r.stdout).not.toContain(`${header}.${payload}`);
    expect(r.stdout).not.toContain(payload.slice(0, 40));
    expect(r.stderr).toBe('');
  });

  it('JSON claims are exactly the payload (no signature, no raw token)', async () => {
    const r = await run(['token', ...NOW, '--format', 'json'], { input: good });
    const [result] = results(r);
    expect(result?.claims).toEqual(base());
    expect(JSON.stringify(result)).not.toMatch(/"(raw|signature|token)"\s*:/);
  });
});

describe('control characters in claims do not reach a terminal or a summary', () => {
  it.each(['table', 'markdown'] as const)('%s', async (format) => {
    const claims = {
      ...base(),
      upn: 'a\u001b[2J\u0007\u0000b\r\nToken 1: PASS',
      amr: ['pwd\u001b[32m', 'x\u202emfa'],
      ver: '1.0\u001b[1A',
    };
    const r = await run(['token', ...NOW, '--format', format], { input: await signClaims(claims, key) });
    expect(r.code).toBe(1);
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    expect(r.stdout).not.toMatch(/^Token 1: PASS/m);
  });
});

describe('tokens Partner Center refuses never pass, even without --verify', () => {
  it.each([
    ['alg none, empty signature', rawToken('{"typ":"JWT","alg":"none"}', JSON.stringify(base()), '')],
    ['alg HS256', rawToken('{"typ":"JWT","alg":"HS256"}', JSON.stringify(base()))],
    ['alg RS256 with an empty signature', rawToken('{"typ":"JWT","alg":"RS256"}', JSON.stringify(base()), '')],
    ['no alg', rawToken('{"typ":"JWT"}', JSON.stringify(base()))],
    ['amr as a string', rawToken('{"alg":"RS256"}', JSON.stringify({ ...base(), amr: 'mfa' }))],
    [
      'scp with a no-break space',
      rawToken('{"alg":"RS256"}', JSON.stringify({ ...base(), scp: 'x\u00a0user_impersonation' })),
    ],
    [
      'aud with two slashes',
      rawToken('{"alg":"RS256"}', JSON.stringify({ ...base(), aud: 'https://api.partnercenter.microsoft.com//' })),
    ],
    [
      'scp array posing as App-only',
      rawToken(
        '{"alg":"RS256"}',
        JSON.stringify({
          ...base(),
          scp: ['user_impersonation'],
          upn: undefined,
          unique_name: undefined,
          sub: base().oid,
          amr: ['pwd'],
        }),
      ),
    ],
  ])('%s: exit 1', async (_, token) => {
    const r = await run(['token', ...NOW, '--format', 'json'], { input: token });
    expect(r.code).toBe(1);
    expect(results(r)[0]?.verdict).toBe('fail');
  });

  it.each([
    ['v2 token with amr mfa', { ...base(), ver: '2.0' }],
    ['aud in upper case', { ...base(), aud: 'HTTPS://API.PARTNERCENTER.MICROSOFT.COM' }],
  ])('%s: exit 3 (unknown), not 0', async (_, claims) => {
    const r = await run(['token', ...NOW, '--format', 'json'], { input: await signClaims(claims, key) });
    expect(r.code).toBe(3);
    expect(results(r)[0]?.verdict).toBe('unknown');
  });
});

describe('input the decoder refuses: exit 2, one line, never the token', () => {
  const payload = JSON.stringify({ ...base(), amr: undefined }).slice(1);
  it.each([
    [
      'duplicate amr, mfa last',
      rawToken('{"alg":"RS256"}', `{"amr":["pwd"],"amr":["mfa"],${payload}`),
      /repeats the member "amr"/,
    ],
    [
      'duplicate alg in the header',
      rawToken('{"alg":"none","alg":"RS256"}', JSON.stringify(base())),
      /header repeats the member "alg"/,
    ],
    ['deep nesting', rawToken('{"alg":"RS256"}', `{"x":${'['.repeat(5000)}${']'.repeat(5000)}}`), /nests deeper/],
    ['a JWE', 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d', /encrypted token/],
    [
      'whitespace inside',
      rawToken('{"alg":"RS256"}', JSON.stringify(base())).replace(/^(.{30})/, '$1 '),
      /not (a JWT|base64url)/,
    ],
    [
      'non-UTF-8 payload',
      `${b64url('{"alg":"RS256"}')}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.c2ln`,
      /not UTF-8/,
    ],
  ])('%s', async (_, token, pattern) => {
    const r = await run(['token', ...NOW], { input: token });
    expectOneLineError(r, 2, pattern);
    expect(r.stderr).not.toContain(token.slice(0, 20));
  });

  it.each(['--now', '--profile', '--audience', '--scope', '--file', '--jwks', '--tenant-id'])(
    'a token given as %s is refused unseen',
    async (flag) => {
      const r = await run(['token', flag, good, '-'], { input: good });
      expectOneLineError(r, 2, /looks like an access token/);
      expect(r.stderr).not.toContain(good.slice(0, 20));
    },
  );

  it('--audience "" is a usage error', async () => {
    const r = await run(['token', ...NOW, '--audience', ''], { input: good });
    expectOneLineError(r, 2, /--audience needs a value/);
  });
});

describe('what people paste', () => {
  it('Bearer twice, a BOM and CRLF line ends in --file all read', async () => {
    writeFileSync(join(dir, 'crlf.txt'), `\ufeffBearer Bearer ${good}\r\n\r\n"${good}"\r\n`);
    const r = await run(['token', ...NOW, '--file', 'crlf.txt', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(results(r)).toHaveLength(2);
  });

  it('10,000 tokens with one bad in the middle: no partial report, the bad one named', async () => {
    const lines = Array.from({ length: 10_000 }, () => good);
    lines[5000] = `${good.split('.')[0]}.not-json.c2ln`;
    writeFileSync(join(dir, 'many.txt'), lines.join('\n'));
    const r = await run(['token', ...NOW, '--file', 'many.txt']);
    expectOneLineError(r, 2, /token 5001 \(many\.txt line 5001\)/);
  });

  it('10,000 tokens with one failing in the middle: exit 1, every token reported', async () => {
    const lines = Array.from({ length: 10_000 }, () => good);
    lines[4999] = rawToken('{"alg":"none"}', JSON.stringify(base()), '');
    writeFileSync(join(dir, 'many-fail.txt'), lines.join('\n'));
    const r = await run(['token', ...NOW, '--file', 'many-fail.txt', '--format', 'json']);
    expect(r.code).toBe(1);
    const all = results(r);
    expect(all).toHaveLength(10_000);
    expect(all.filter((x) => x.verdict === 'fail')).toHaveLength(1);
    expect(all[4999]?.verdict).toBe('fail');
  });
});

describe('--verify cannot be talked into a pass', () => {
  const verify = (token: string, extra: string[] = []) =>
    run(['token', ...NOW, '--format', 'json', '--jwks', 'keys.json', ...extra], { input: token });

  it('the right kid with another key: fail', async () => {
    const r = await verify(await signClaims(base(), attacker));
    expect(r.code).toBe(1);
    expect(status(r, 'signature')).toBe('fail');
  });

  it('no kid: the right key passes, another key fails', async () => {
    const noKid = { kid: undefined, x5t: undefined };
    expect((await verify(await signClaims(base(), key, noKid))).code).toBe(0);
    expect((await verify(await signClaims(base(), attacker, noKid))).code).toBe(1);
  });

  it('a key embedded in the header (jwk) is ignored', async () => {
    const token = await signClaims(base(), attacker, { jwk: attacker.jwk });
    const r = await verify(token);
    expect(status(r, 'signature')).toBe('fail');
  });

  it('HS256 signed with the public key as the secret: fail', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(key.jwk));
    const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(base())))
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .sign(secret);
    const r = await verify(token);
    expect(r.code).toBe(1);
    expect(status(r, 'signature')).toBe('fail');
  });

  it('a nonce does not excuse a signature: another key, or the nonce left unhashed, fails; a nonce on an unsigned token fails', async () => {
    const byAttacker = await verify(await signNonceClaims(base(), attacker, 'n'));
    expect(byAttacker.code).toBe(1);
    expect(status(byAttacker, 'signature')).toBe('fail');
    expect((await verify(await signClaims(base(), key, { nonce: 'n' }))).code).toBe(1);
    expect((await verify(await signClaims(base(), attacker, { nonce: 'n' }))).code).toBe(1);
    expect((await verify(await signNonceClaims(base(), key, 'n'))).code).toBe(0);
    const unsigned = rawToken('{"alg":"none","nonce":"n"}', JSON.stringify(base()), '');
    expect((await verify(unsigned)).code).toBe(1);
    const emptySig = rawToken('{"alg":"RS256","nonce":"n"}', JSON.stringify(base()), '');
    expect((await verify(emptySig)).code).toBe(1);
  });

  it('a key shorter than 2048 bits in the JWKS verifies nothing and does not crash', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const jwk = { ...(await exportJWK(small.publicKey)), kid: 'small', use: 'sig' };
    writeFileSync(join(dir, 'small.json'), JSON.stringify({ keys: [jwk] }));
    const input = `${b64url('{"alg":"RS256","kid":"small"}')}.${b64url(JSON.stringify(base()))}`;
    const signature = createSign('RSA-SHA256').update(input).sign(small.privateKey).toString('base64url');
    const r = await run(['token', ...NOW, '--format', 'json', '--jwks', 'small.json'], {
      input: `${input}.${signature}`,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(status(r, 'signature')).toBe('fail');
  });

  it('an iss naming another host is never fetched from (unknown, exit 3)', async () => {
    const before = hits;
    for (const iss of [
      `${serverUrl}/6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c/`,
      'https://127.0.0.1/6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c/',
    ]) {
      const token = await signClaims({ ...base(), iss }, attacker);
      const r = await run(['token', ...NOW, '--format', 'json', '--verify'], {
        input: token,
        env: { NODE_EXTRA_CA_CERTS: caFile },
      });
      expect(r.code).toBe(3);
      expect(status(r, 'signature')).toBe('unknown');
    }
    expect(hits).toBe(before);
  });
});
