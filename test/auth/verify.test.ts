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
import { generateTestKey, jwksOf, loadClaims, signClaims, signFixture, signNonceClaims } from '../helpers/tokens.js';

const TID = '6e3a1c2b-4f5d-4e8a-9b7c-1d2e3f4a5b6c';
const OTHER_TID = '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';

describe('entraKeysUrl: keys only from Microsoft Entra authority hosts', () => {
  it('maps v1 and v2 issuers of the public cloud to the tenant discovery keys', () => {
    expect(entraKeysUrl(`https://sts.windows.net/${TID}/`)).toEqual({
      url: `https://login.microsoftonline.com/${TID}/discovery/keys`,
    });
    expect(entraKeysUrl(`https://login.microsoftonline.com/${TID}/v2.0`)).toEqual({
      url: `https://login.microsoftonline.com/${TID}/discovery/v2.0/keys`,
    });
  });
  it('maps national clouds to their own authority', () => {
    expect(entraKeysUrl(`https://login.microsoftonline.us/${TID}/v2.0`)).toEqual({
      url: `https://login.microsoftonline.us/${TID}/discovery/v2.0/keys`,
    });
    expect(entraKeysUrl(`https://sts.chinacloudapi.cn/${TID}/`)).toEqual({
      url: `https://login.chinacloudapi.cn/${TID}/discovery/keys`,
    });
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
    [key, rotated, stranger] = await Promise.all([
      generateTestKey('key-1'),
      generateTestKey('key-2'),
      generateTestKey('key-x'),
    ]);
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
    const forged = {
      ...token,
      raw: `${h}.${Buffer.from(JSON.stringify({ ...token.payload, amr: ['pwd', 'mfa'] })).toString('base64url')}.${s}`,
    };
    const [outcome] = await verifySignatures([forged], { jwks: `${base}/keys`, cwd: process.cwd() });
    expect(outcome?.status).toBe('fail');
    expect(outcome?.message).toMatch(/altered or signed by someone else/);
  });

  it('verifies against --jwks FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-jwks-'));
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(jwksOf(key)));
    const outcomes = await verifySignatures(
      [await decoded('pc-v1-app-user-mfa', key), await decoded('pc-v1-app-user-mfa', stranger)],
      {
        jwks: 'keys.json',
        cwd: dir,
      },
    );
    expect(outcomes.map((o) => o.status)).toEqual(['pass', 'fail']);
  });

  it('rejects a missing or broken --jwks file as input (exit 2) and an http URL as usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-jwks-'));
    writeFileSync(join(dir, 'bad.json'), '{"nokeys": true}');
    const token = await decoded('pc-v1-app-user-mfa', key);
    await expect(verifySignatures([token], { jwks: 'missing.json', cwd: dir })).rejects.toBeInstanceOf(InputError);
    await expect(verifySignatures([token], { jwks: 'bad.json', cwd: dir })).rejects.toThrow(/not a JSON Web Key Set/);
    await expect(verifySignatures([token], { jwks: 'http://127.0.0.1:1/keys', cwd: dir })).rejects.toBeInstanceOf(
      UsageError,
    );
  });

  it('verifies a token with a header nonce over the hashed nonce, as Entra signs it', async () => {
    const raw = await signNonceClaims(loadClaims('graph-v1-app-user-mfa'), key, 'graph-nonce-Zx9');
    const [outcome] = await verifySignatures([decodeToken(raw, 'token 1')], {
      jwks: `${base}/keys`,
      cwd: process.cwd(),
    });
    expect(outcome?.status).toBe('pass');
    expect(outcome?.message).toMatch(/nonce hashed/);
    expect(outcome?.message).not.toMatch(/third parties/);
  });

  it('fails a nonce token with one edited byte (payload or signature), or signed by another key', async () => {
    const raw = await signNonceClaims(loadClaims('graph-v1-app-user-mfa'), key, 'graph-nonce-Zx9');
    const [h, p, s] = raw.split('.') as [string, string, string];
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    const editedPayload = Buffer.from(JSON.stringify({ ...payload, amr: ['pwd', 'mfb'] })).toString('base64url');
    const tokens = [
      { raw: `${h}.${editedPayload}.${s}`, header: decodeToken(raw, 't').header, payload },
      { raw: `${h}.${p}.${flip(s, 10)}`, header: decodeToken(raw, 't').header, payload },
      decodeToken(
        await signNonceClaims(loadClaims('graph-v1-app-user-mfa'), stranger, 'n', { kid: key.kid, x5t: key.kid }),
        't',
      ),
      // Signed over the transmitted nonce (not its hash): not how Entra signs, so not verified either.
      await decoded('graph-v1-app-user-mfa', key, { nonce: 'graph-nonce-Zx9' }),
    ];
    const outcomes = await verifySignatures(tokens, { jwks: `${base}/keys`, cwd: process.cwd() });
    expect(outcomes.map((o) => o.status)).toEqual(['fail', 'fail', 'fail', 'fail']);
    for (const outcome of outcomes) expect(outcome.message).toMatch(/altered or signed by someone else/);
  });

  it('fails a nonce that is not a string', async () => {
    const raw = await signClaims(loadClaims('graph-v1-app-user-mfa'), key, { nonce: 42 });
    const [outcome] = await verifySignatures([decodeToken(raw, 'token 1')], {
      jwks: `${base}/keys`,
      cwd: process.cwd(),
    });
    expect(outcome?.status).toBe('fail');
    expect(outcome?.message).toMatch(/nonce is not a string/);
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
    const tokens = [
      await decoded('pc-v1-app-user-mfa', key),
      await decoded('pc-v1-app-only', key),
      await decoded('api-v2-app-user-no-amr', key),
    ];
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
    const other = decodeToken(
      await signClaims(
        { ...loadClaims('api-v2-app-user-no-amr'), iss: `https://login.microsoftonline.com/${OTHER_TID}/v2.0` },
        key,
      ),
      't',
    );
    const outcomes = await verifySignatures([v2, other], { cwd: process.cwd(), fetchJson: async () => bound });
    expect(outcomes.map((o) => o.status)).toEqual(['pass', 'fail']);
    expect(outcomes[1]?.message).toMatch(/may not sign tokens of issuer/);
  });

  describe("a v2-bound key signs the same tenant's v1 tokens (as AadIssuerValidator accepts)", () => {
    const V2_TEMPLATE = 'https://login.microsoftonline.com/{tenantid}/v2.0';
    const v1Claims = (patch: Record<string, unknown> = {}) => ({ ...loadClaims('pc-v1-app-user-mfa'), ...patch });
    const bound = (issuer: string) => ({ keys: [{ ...key.jwk, issuer }] });
    const jwksFile = (document: unknown) => {
      const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-jwks-'));
      writeFileSync(join(dir, 'keys.json'), JSON.stringify(document));
      return dir;
    };

    it('passes a genuine v1 token against --jwks FILE whose keys are bound to the v2 issuer template', async () => {
      const token = decodeToken(await signClaims(v1Claims(), key), 'token 1');
      expect(token.payload.iss).toBe(`https://sts.windows.net/${TID}/`);
      const [outcome] = await verifySignatures([token], { jwks: 'keys.json', cwd: jwksFile(bound(V2_TEMPLATE)) });
      expect(outcome).toMatchObject({ status: 'pass' });
    });

    it('passes it with fetched keys too, fetched from /discovery/keys', async () => {
      const asked: string[] = [];
      const token = decodeToken(await signClaims(v1Claims(), key), 'token 1');
      const [outcome] = await verifySignatures([token], {
        cwd: process.cwd(),
        fetchJson: async (url) => {
          asked.push(url);
          return bound(V2_TEMPLATE);
        },
      });
      expect(outcome?.status).toBe('pass');
      expect(asked).toEqual([`https://login.microsoftonline.com/${TID}/discovery/keys`]);
    });

    it("a v1-bound key also signs the same tenant's v2 token", async () => {
      const token = await decoded('api-v2-app-user-no-amr', key);
      const [outcome] = await verifySignatures([token], {
        cwd: process.cwd(),
        fetchJson: async () => bound('https://sts.windows.net/{tenantid}/'),
      });
      expect(outcome?.status).toBe('pass');
    });

    it('national clouds pair their own hosts: China v1 with a China v2 key; never another cloud', async () => {
      const china = decodeToken(await signClaims(v1Claims({ iss: `https://sts.chinacloudapi.cn/${TID}/` }), key), 't');
      const [ok] = await verifySignatures([china], {
        jwks: 'keys.json',
        cwd: jwksFile(bound('https://login.chinacloudapi.cn/{tenantid}/v2.0')),
      });
      expect(ok?.status).toBe('pass');
      const [crossCloud] = await verifySignatures([china], { jwks: 'keys.json', cwd: jwksFile(bound(V2_TEMPLATE)) });
      expect(crossCloud?.status).toBe('fail');
      const publicV1 = decodeToken(await signClaims(v1Claims(), key), 't');
      for (const issuer of [
        'https://login.microsoftonline.us/{tenantid}/v2.0',
        'https://login.chinacloudapi.cn/{tenantid}/v2.0',
        'https://evil.example/{tenantid}/v2.0',
      ]) {
        const [outcome] = await verifySignatures([publicV1], { jwks: 'keys.json', cwd: jwksFile(bound(issuer)) });
        expect(outcome?.status, issuer).toBe('fail');
      }
    });

    it("refuses another tenant: the token's tid differs from its iss tenant, or the key is bound to another tenant", async () => {
      const dir = jwksFile(bound(V2_TEMPLATE));
      const otherTid = decodeToken(await signClaims(v1Claims({ tid: OTHER_TID }), key), 't');
      const otherIss = decodeToken(
        await signClaims(v1Claims({ iss: `https://sts.windows.net/${OTHER_TID}/` }), key),
        't',
      );
      const outcomes = await verifySignatures([otherTid, otherIss], { jwks: 'keys.json', cwd: dir });
      expect(outcomes.map((o) => o.status)).toEqual(['fail', 'fail']);
      for (const outcome of outcomes) expect(outcome.message).toMatch(/may not sign tokens of issuer/);
      const token = decodeToken(await signClaims(v1Claims(), key), 't');
      const [concrete] = await verifySignatures([token], {
        jwks: 'keys.json',
        cwd: jwksFile(bound(`https://login.microsoftonline.com/${OTHER_TID}/v2.0`)),
      });
      expect(concrete?.status).toBe('fail');
      const [sameConcrete] = await verifySignatures([token], {
        jwks: 'keys.json',
        cwd: jwksFile(bound(`https://login.microsoftonline.com/${TID}/v2.0`)),
      });
      expect(sameConcrete?.status).toBe('pass');
    });

    it('fails a v1 token with one edited byte', async () => {
      const raw = await signClaims(v1Claims({ amr: ['pwd'] }), key);
      const [h, p, s] = raw.split('.') as [string, string, string];
      const payload = Buffer.from(p, 'base64url').toString('utf8').replace('"pwd"', '"mfa"');
      const edited = `${h}.${Buffer.from(payload).toString('base64url')}.${s}`;
      const [outcome] = await verifySignatures([decodeToken(edited, 't')], {
        jwks: 'keys.json',
        cwd: jwksFile(bound(V2_TEMPLATE)),
      });
      expect(outcome?.status).toBe('fail');
      expect(outcome?.message).toMatch(/altered or signed by someone else/);
    });
  });
});
