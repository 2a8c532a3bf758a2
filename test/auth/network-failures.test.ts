/**
 * Sign-in (msal-node over the project's network module) and the JWKS fetch of `token --verify` end at once on
 * failures that retrying cannot fix, with one line naming the host and the cause. Only loopback is contacted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundedNetworkClient } from '../../src/auth/http-client.js';
import { fetchJson } from '../../src/auth/jwks.js';
import { acquireToken } from '../../src/auth/sign-in.js';
import { verifySignatures } from '../../src/auth/verify.js';
import { CollectionError } from '../../src/errors.js';
import type { WrongNameServer } from '../graph/local-listeners.js';
import { closedPort, wrongNameServer } from '../graph/local-listeners.js';

const BUDGET_MS = 2000;
const TENANT = '691d0d64-52fb-4de1-ae87-2e52cdd26449';

let tls: WrongNameServer;
beforeAll(async () => {
  tls = await wrongNameServer();
});
afterAll(async () => tls.close());

/** The rejection of `work`, and how long it took. */
async function rejection(work: () => Promise<unknown>): Promise<{ error: Error; ms: number }> {
  const started = Date.now();
  const error = await work().then(
    () => new Error('expected a failure'),
    (e: unknown) => e as Error,
  );
  return { error, ms: Date.now() - started };
}

const signIn = (authorityHost: string, trustedCa?: string) =>
  acquireToken({
    tenantId: TENANT,
    clientId: '11111111-1111-4111-8111-111111111111',
    scopes: ['https://graph.microsoft.com/.default'],
    authorityHost,
    trustedCa,
    method: { kind: 'refresh-token', refreshToken: 'rt.never-shown-123' },
  });

describe('sign-in', () => {
  it('a refused connection: one line with the authority, at once', async () => {
    const port = await closedPort();
    const { error, ms } = await rejection(() => signIn(`https://127.0.0.1:${port}`, tls.ca));
    expect(error).toBeInstanceOf(CollectionError);
    expect(error.message).toMatch(
      new RegExp(`cannot reach the sign-in authority https://127\\.0\\.0\\.1:${port}: connection refused$`),
    );
    expect(error.message).not.toContain('rt.never-shown-123');
    expect(ms).toBeLessThan(BUDGET_MS);
  });

  it('a certificate for another name: one line with the authority and the cause, at once', async () => {
    const { error, ms } = await rejection(() => signIn(tls.url, tls.ca));
    expect(error).toBeInstanceOf(CollectionError);
    expect(error.message).not.toMatch(/\n/);
    expect(error.message).toMatch(
      /cannot reach the sign-in authority https:\/\/127\.0\.0\.1:\d+: the server's TLS certificate is not valid for this name \(ERR_TLS_CERT_ALTNAME_INVALID\)$/,
    );
    expect(tls.requests()).toBe(0);
    expect(ms).toBeLessThan(BUDGET_MS);
  });

  it("the network module records the cause in the same words as Graph's", async () => {
    const client = boundedNetworkClient({ trustedCa: tls.ca });
    await expect(client.sendGetRequestAsync(`${tls.url}/x`)).rejects.toThrow();
    expect(client.lastFailure).toEqual({
      kind: 'unreachable',
      origin: tls.url,
      reason: "the server's TLS certificate is not valid for this name (ERR_TLS_CERT_ALTNAME_INVALID)",
    });
    const untrusted = boundedNetworkClient();
    await expect(untrusted.sendGetRequestAsync(`${tls.url}/x`)).rejects.toThrow();
    expect(untrusted.lastFailure?.reason).toBe(
      "the server's TLS certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT; NODE_EXTRA_CA_CERTS adds a CA)",
    );
  });
});

describe('JWKS (token --verify)', () => {
  it('a refused connection: the cause in words, at once', async () => {
    const port = await closedPort();
    const { error, ms } = await rejection(() => fetchJson(`https://127.0.0.1:${port}/keys`));
    expect(error.message).toBe('connection refused (ECONNREFUSED)');
    expect(ms).toBeLessThan(BUDGET_MS);
  });

  it('a certificate for another name: the cause in words, at once', async () => {
    const { error, ms } = await rejection(() => fetchJson(`${tls.url}/keys`, { trustedCa: tls.ca }));
    expect(error.message).toBe(
      "the server's TLS certificate is not valid for this name (ERR_TLS_CERT_ALTNAME_INVALID)",
    );
    expect(ms).toBeLessThan(BUDGET_MS);
  });

  it('reaches the verdict as one line naming the URL and the cause: unknown, never pass', async () => {
    const port = await closedPort();
    const token = { raw: 'a.b.c', header: { alg: 'RS256', kid: 'k' }, payload: {} };
    const started = Date.now();
    const [outcome] = await verifySignatures([token], { jwks: `https://127.0.0.1:${port}/keys`, cwd: process.cwd() });
    expect(outcome).toEqual({
      status: 'unknown',
      message: `could not fetch signing keys from https://127.0.0.1:${port}/keys: connection refused (ECONNREFUSED)`,
    });
    expect(Date.now() - started).toBeLessThan(BUDGET_MS);
  });
});
