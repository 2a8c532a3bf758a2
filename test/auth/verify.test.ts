import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entraKeysUrl, fetchJson } from '../../src/auth/jwks.js';
import { verifySignatures } from '../../src/auth/verify.js';
import { InputError, UsageError } from '../../src/errors.js';
import { decodeToken } from '../../src/input/token-decode.js';
import { testTls } from '../helpers/tls.js';
import type { TestKey } from '../helpers/tokens.js';
import { generateTestKey, jwksOf, signFixture } from '../helpers/tokens.js';

const TID = '6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c';

describe('entraKeysUrl: keys only from Microsoft Entra authority hosts', () => {
  it('maps v1 and v2 issuers of the public cloud to the tenant discovery keys', () => {
    expect(entraKeysUrl(`https://sts.windows.net/${TID}/`)).toEqual({ url: `https://login.microsoftonline.com/${TID}/discovery/keys` });
    expect(entraKeysUrl(`https://login.microsoftonline.com/${TID}/v2.0`)).toEqual({
      url: `https://login.microsoftonline.com/${TID}/discovery/v2.0/keys`,
    });
  });
  it('maps national clouds to their own authority', () => {
    expect(entraKeysUrl(`https://login.microsoftonline.us/${TID}/v2.0`)).toEqual({ url: `https://login.microsoftonline.us/${TID}/discovery/v2.0/keys` });
    expect(entraKeysUrl(`https://sts.chinacloudapi.cn/${TID}/`)).toEqual({ url: `https://login.chinacloudapi.cn/${TID}/discovery/keys` });
  });
  it('refuses any other host, and lookalikes', () => {
    for (const iss of [
      `https://evil.example/${TID}/`,
      `https://sts.windows.net.evil.example/${TID}/`,
      `http://sts.windows.net/${TID}/`,
      `https://sts.windows.net:8443/${TID}/`,
      `https://user@sts.windows.net/${TID}/`,
      `https://sts.windows.net/${TID}/?x=https://evil.example`,
      'https://sts.windows.net/../../evil/',
      'https://sts.windows.net/not-a-tenant/',
      `https://127.0.0.1/${TID}/`,
      42,
      undefined,
    ]) {
      expect(entraKeysUrl(iss)).toHaveProperty('reason');
    }
  });
});

describe('verifySignatures', () => {
  let key: TestKey;
  let rotated: TestKey;
  let stranger: TestKey;
  let server: Server;
  let base: string;
  const hits: string[] = [];
  /** What the server serves at /keys; tests change it to simulate key rotation. */
  let served: unknown;

  beforeAll(async () => {
    [key, rotated, stranger] = await Promise.all([generateTestKey('key-1'), generateTestKey('key-2'), generateTestKey('key-x')]);
    served = jwksOf(key);
    const tls = await testTls();
    server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/keys') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(served));
      } else if (req.url === '/broken') {
        res.writeHead(200);
        res.end('not json');
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The in-process client trusts the test certificate the way a spawned CLI does through NODE_EXTRA_CA_CERTS.
    const { globalAgent } = await import('node:https');
    globalAgent.options.ca = tls.cert;
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
  });

  const decoded = async (name: string, signer: TestKey, header: Record<string, unknown> = {}) =>
    decodeToken(await signFixture(name, signer, header), 'token 1');

  it('verifies a token against --jwks URL (local HTTPS) and caches the keys for the run', async () => {
    hits.length = 0;
    served = jwksOf(key);
    const tokens = [await decoded('pc-v1-app-user-mfa', key), await decoded('pc-v1-app-user-password-only', key)];
    const outcomes = await verifySignatures(tokens, { jwks: `${base}/keys`, cwd: process.cwd() });
    expect(outcomes.map((o) => o.status)).toEqual(['pass', 'pass']);
    expect(outcomes[0]?.message).toMatch(/signature verified \(RS256, key key-1/);
    expect(hits).toEqual(['/keys']);
  });

  it('re-fetches once on an unknown kid (key rotation), then fails closed', async () => {
    hits.length = 0;
    served = jwksOf(key);
    const rotatedToken = await decoded('pc-v1-app-user-mfa', rotated);
    const strangerToken = await decoded('pc-v1-app-user-mfa', stranger);
    // The first fetch serves only key-1; the server rotates before the re-fetch.
    const outcomes = await verifySignatures([await decoded('pc-v1-app-user-mfa', key), rotatedToken, strangerToken], {
      jwks: `${base}/keys`,
      cwd: process.cwd(),
      fetchJson: async (url) => {
        const document = await fetchJson(url);
        served = jwksOf(key, rotated);
        return document;
      },
    });
    expect(outcomes.map((o) => o.status)).toEqual(['pass', 'pass', 'fail']);
    expect(outcomes[2]?.message).toMatch(/no RSA signing key with kid key-x/);
    expect(hits).toEqual(['/keys', '/keys']);
  });

  it('fails a token whose payload was altered', async () => {
    const token = await decoded('pc-v1-app-user-password-only', key);
    const [h, , s] = token.raw.split('.');
    const forged = { ...token, raw: `${h}.${Buffer.from(JSON.stringify({ ...token.payload, amr: ['pwd', 'mfa'] })).toString('base64url')}.${s}` };
    const [outcome] = await verifySignatures([forged], { jwks: `${base}/keys`, cwd: process.cwd() });
    expect(outcome?.status).toBe('fail');
    expect(outcome?.message).toMatch(/altered or signed by someone else/);
  });

  it('verifies against --jwks FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-jwks-'));
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(jwksOf(key)));
    const outcomes = await verifySignatures([await decoded('pc-v1-app-user-mfa', key), await decoded('pc-v1-app-user-mfa', stranger)], {
      jwks: 'keys.json',
      cwd: dir,
    });
    expect(outcomes.map((o) => o.status)).toEqual(['pass', 'fail']);
  });

  it('rejects a missing or broken --jwks file as input (exit 2) and an http URL as usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-jwks-'));
    writeFileSync(join(dir, 'bad.json'), '{"nokeys": true}');
    const token = await decoded('pc-v1-app-user-mfa', key);
    await expect(verifySignatures([token], { jwks: 'missing.json', cwd: dir })).rejects.toBeInstanceOf(InputError);
    await expect(verifySignatures([token], { jwks: 'bad.json', cwd: dir })).rejects.toThrow(/not a JSON Web Key Set/);
    await expect(verifySignatures([token], { jwks: 'http://127.0.0.1:1/keys', cwd: dir })).rejects.toBeInstanceOf(UsageError);
  });

  it('reports Graph tokens (nonce in the header) as not verifiable by third parties, not as forged', async () => {
    const [outcome] = await verifySignatures([await decoded('graph-v1-app-user-mfa', key, { nonce: 'n0nce' })], {
      jwks: `${base}/keys`,
      cwd: process.cwd(),
    });
    expect(outcome?.status).toBe('unknown');
    expect(outcome?.message).toMatch(/not verifiable by third parties/);
    expect(outcome?.message).toMatch(/not a sign of forgery/);
  });

  it('fails alg none and HS256', async () => {
    for (const alg of ['none', 'HS256']) {
      const token = { raw: 'a.b.c', header: { alg }, payload: {} };
      const [outcome] = await verifySignatures([token], { jwks: `${base}/keys`, cwd: process.cwd() });
      expect(outcome?.status).toBe('fail');
    }
  });

  it('JWKS unreachable or broken: unknown, never pass', async () => {
    const token = await decoded('pc-v1-app-user-mfa', key);
    const [unreachable] = await verifySignatures([token], { jwks: 'https://127.0.0.1:1/keys', cwd: process.cwd() });
    expect(unreachable?.status).toBe('unknown');
    expect(unreachable?.message).toMatch(/could not fetch signing keys/);
    const [broken] = await verifySignatures([token], { jwks: `${base}/broken`, cwd: process.cwd() });
    expect(broken?.status).toBe('unknown');
    const [missing] = await verifySignatures([token], { jwks: `${base}/nothing`, cwd: process.cwd() });
    expect(missing?.message).toMatch(/HTTP 404/);
  });

  it('without --jwks: fetches the issuer tenant keys from the Entra authority only, once per tenant', async () => {
    const asked: string[] = [];
    const fetchFake = async (url: string) => {
      asked.push(url);
      return jwksOf(key);
    };
    const tokens = [await decoded('pc-v1-app-user-mfa', key), await decoded('pc-v1-app-only', key), await decoded('api-v2-app-user-no-amr', key)];
    const outcomes = await verifySignatures(tokens, { cwd: process.cwd(), fetchJson: fetchFake });
    expect(outcomes.map((o) => o.status)).toEqual(['pass', 'pass', 'pass']);
    expect(asked).toEqual([
      `https://login.microsoftonline.com/${TID}/discovery/keys`,
      `https://login.microsoftonline.com/${TID}/discovery/v2.0/keys`,
    ]);
  });

  it('never fetches from a host the token names: a foreign issuer is unknown, with advice', async () => {
    const asked: string[] = [];
    const token = decodeToken(await signFixture('pc-v1-app-user-mfa', key), 'token 1');
    token.payload.iss = `${base}/${TID}/`;
    const [outcome] = await verifySignatures([token], {
      cwd: process.cwd(),
      fetchJson: async (url) => {
        asked.push(url);
        return jwksOf(key);
      },
    });
    expect(outcome?.status).toBe('unknown');
    expect(outcome?.message).toMatch(/not a Microsoft Entra authority.*--jwks/);
    expect(asked).toEqual([]);
  });

  it('honours the issuer binding of v2 keys', async () => {
    const bound = { keys: [{ ...key.jwk, issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0' }] };
    const v2 = await decoded('api-v2-app-user-no-amr', key);
    const v1 = await decoded('pc-v1-app-user-mfa', key);
    const outcomes = await verifySignatures([v2, v1], { cwd: process.cwd(), fetchJson: async () => bound });
    expect(outcomes.map((o) => o.status)).toEqual(['pass', 'fail']);
  });
});
