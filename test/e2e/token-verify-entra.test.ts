/**
 * End to end (the BUILT CLI; `npm run build` first): `token --verify --jwks FILE --profile any` on tokens shaped as
 * Entra issues them: a header nonce (signed over its SHA-256), a v1 token checked against a v2 key set whose keys are
 * bound to `https://login.microsoftonline.com/{tenantid}/v2.0`, and a bare v1 client-credentials token.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestKey } from '../helpers/tokens.js';
import { generateTestKey, loadClaims, signClaims, signNonceClaims } from '../helpers/tokens.js';
import type { CliRun } from '../helpers/built-cli.js';
import { runBuiltCli } from '../helpers/built-cli.js';

const NOW = ['--now', '2026-11-21T12:00:00Z'];
const TID = '6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c';
const OTHER_TID = '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';

type Run = CliRun;

function run(args: string[], input: string): Promise<Run> {
  return runBuiltCli(args, { cwd: dir, input });
}

interface Check {
  id: string;
  status: string;
  message: string;
}
const checks = (r: Run, i = 0) =>
  (JSON.parse(r.stdout) as { results: { verdict: string; checks: Check[] }[] }).results[i]?.checks ?? [];
const check = (r: Run, id: string, i = 0) => checks(r, i).find((c) => c.id === id);

/** One edited character in the token's signature part. */
function editSignature(token: string): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  const at = Math.floor(s.length / 2);
  return `${h}.${p}.${s.slice(0, at)}${s[at] === 'A' ? 'B' : 'A'}${s.slice(at + 1)}`;
}

/** One edited byte in the payload: a claim value changed, the signature kept. */
function editPayload(token: string): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  const payload = Buffer.from(p, 'base64url').toString('utf8').replace('"pwd"', '"pwe"');
  return `${h}.${Buffer.from(payload, 'utf8').toString('base64url')}.${s}`;
}

let dir: string;
let key: TestKey;
let stranger: TestKey;
const verify = (input: string) =>
  run(['token', ...NOW, '--format', 'json', '--verify', '--jwks', 'keys.json', '--profile', 'any'], input);
const verifyV2 = (input: string) =>
  run(['token', ...NOW, '--format', 'json', '--verify', '--jwks', 'v2-keys.json', '--profile', 'any'], input);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mfa-audit-e2e-verify-entra-'));
  [key, stranger] = await Promise.all([generateTestKey('key-1'), generateTestKey('key-1')]);
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ keys: [key.jwk] }));
  // As discovery/v2.0/keys publishes them: each key bound to the v2 issuer template.
  writeFileSync(
    join(dir, 'v2-keys.json'),
    JSON.stringify({ keys: [{ ...key.jwk, issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0' }] }),
  );
});

describe('token --verify --jwks FILE --profile any: a header nonce', () => {
  it('0: a token signed over its hashed nonce verifies', async () => {
    const token = await signNonceClaims(loadClaims('graph-v1-app-user-mfa'), key, 'Yq3-nonce_value');
    const r = await verify(token);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(check(r, 'signature')?.status).toBe('pass');
    expect(r.stdout).not.toMatch(/third parties/);
  });

  it('1: one edited byte in the payload or the signature, or another key, fails', async () => {
    const token = await signNonceClaims(loadClaims('graph-v1-app-user-mfa'), key, 'Yq3-nonce_value');
    const forged = await signNonceClaims(loadClaims('graph-v1-app-user-mfa'), stranger, 'Yq3-nonce_value');
    for (const input of [editPayload(token), editSignature(token), forged]) {
      const r = await verify(input);
      expect(r.code).toBe(1);
      expect(check(r, 'signature')?.status).toBe('fail');
      expect(check(r, 'signature')?.message).toMatch(/altered or signed by someone else/);
    }
  });
});

describe('token --verify --jwks FILE --profile any: a v1 token against v2-bound keys', () => {
  const v1 = (patch: Record<string, unknown> = {}) =>
    signClaims({ ...loadClaims('pc-v1-app-user-mfa'), ...patch }, key);

  it("0: a genuine v1 token (iss https://sts.windows.net/{tid}/) verifies against its tenant's v2-bound key", async () => {
    const token = await v1();
    const r = await verifyV2(token);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(check(r, 'signature')?.status).toBe('pass');
  });

  it("1: another tenant's tid or issuer fails", async () => {
    for (const patch of [{ tid: OTHER_TID }, { iss: `https://sts.windows.net/${OTHER_TID}/` }]) {
      const r = await verifyV2(await v1(patch));
      expect(r.code).toBe(1);
      expect(check(r, 'signature')?.message).toMatch(/may not sign tokens of issuer/);
    }
  });

  it('1: one edited byte fails', async () => {
    const token = await v1();
    for (const input of [editPayload(token), editSignature(token)]) {
      const r = await verifyV2(input);
      expect(r.code).toBe(1);
      expect(check(r, 'signature')?.status).toBe('fail');
    }
  });

  it('the fixture really is a v1 token of the tenant', () => {
    expect(loadClaims('pc-v1-app-user-mfa')).toMatchObject({
      iss: `https://sts.windows.net/${TID}/`,
      tid: TID,
      ver: '1.0',
    });
  });
});

describe('a bare v1 client-credentials token (appidacr 1; no oid, sub, roles, scp, idtyp or amr)', () => {
  it('3: mfa is unknown, not fail, and nothing fails', async () => {
    const claims = loadClaims('pc-v1-app-only');
    for (const name of ['oid', 'sub', 'roles', 'scp', 'idtyp', 'amr']) delete claims[name];
    expect(claims.appidacr).toBe('1');
    const r = await verify(await signClaims(claims, key));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3);
    expect(check(r, 'mfa')?.status).toBe('unknown');
    expect(checks(r).filter((c) => c.status === 'fail')).toEqual([]);
  });

  it('1: an App+User v1 token without amr still fails', async () => {
    const r = await verify(await signClaims(loadClaims('pc-v1-app-user-no-amr'), key));
    expect(r.code).toBe(1);
    expect(check(r, 'mfa')?.status).toBe('fail');
  });
});
