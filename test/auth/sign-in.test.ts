/**
 * The real msal-node against the local HTTPS identity provider (test/helpers/idp-server.ts), in-process: every
 * sign-in flow, and every failure mapped to one CollectionError line with no credential in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { acquireToken, createSignInSession, type SignInOptions } from '../../src/auth/sign-in.js';
import { CollectionError, UsageError } from '../../src/errors.js';
import { idpErrors, startIdp, type Idp } from '../helpers/idp-server.js';
import { appCertificate } from './app-certificate.js';

const PARTNER_CENTER = 'https://api.partnercenter.microsoft.com/user_impersonation';
const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default';
const PUBLIC_CLIENT = '11111111-1111-4111-8111-111111111111';
const APP = '22222222-2222-4222-8222-222222222222';
const SECRET = 'app-secret-value-Q~7xK9';

let idp: Idp;
let certificate: { cert: string; key: string };

beforeAll(async () => {
  certificate = await appCertificate();
  idp = await startIdp({
    refreshToken: 'rt.0.AAAA-the-partner-refresh-token-xyz',
    appRoles: ['Policy.Read.All', 'User.Read.All'],
    clients: {
      [APP]: {
        secret: SECRET,
        certificatePem: certificate.cert,
        federatedAssertion: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm9yZy9yZXBvIn0.c2ln',
      },
    },
  });
});
afterAll(async () => idp.close());

function base(overrides: Partial<SignInOptions> & Pick<SignInOptions, 'method'>): SignInOptions {
  return {
    tenantId: idp.tenantId,
    clientId: PUBLIC_CLIENT,
    scopes: [PARTNER_CENTER],
    authorityHost: idp.url,
    trustedCa: idp.ca,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<CollectionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CollectionError);
  const message = (error as CollectionError).message;
  expect(message).not.toContain('\n');
  return error as CollectionError;
}

describe('refresh-token exchange (Secure Application Model)', () => {
  it('returns a Partner Center access token and the signed-in account', async () => {
    const before = idp.tokenRequests().length;
    const token = await acquireToken(
      base({ method: { kind: 'refresh-token', refreshToken: 'rt.0.AAAA-the-partner-refresh-token-xyz' } }),
    );
    const claims = decodeJwt(token.accessToken);
    expect(claims.aud).toBe('https://api.partnercenter.microsoft.com');
    expect(claims.scp).toBe('user_impersonation');
    expect(claims.amr).toEqual(['pwd', 'mfa']);
    expect(token.account).toBe('admin@contoso.onmicrosoft.com');
    expect(token.expiresOn).toBeInstanceOf(Date);
    // knownAuthorities: msal reads the IdP's own metadata and never runs instance discovery for it.
    expect(idp.requests.some((r) => r.path.includes('discovery/instance'))).toBe(false);
    expect(idp.requests.some((r) => r.path.endsWith('/v2.0/.well-known/openid-configuration'))).toBe(true);
    const sent = idp.tokenRequests().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.form.grant_type).toBe('refresh_token');
    expect(sent[0]!.form.refresh_token).toBe('rt.0.AAAA-the-partner-refresh-token-xyz');
  });

  it('sends the refresh token in the POST body only, never in the URL or a header', async () => {
    const before = idp.requests.length;
    await acquireToken(
      base({ method: { kind: 'refresh-token', refreshToken: 'rt.0.AAAA-the-partner-refresh-token-xyz' } }),
    );
    for (const request of idp.requests.slice(before)) {
      expect(JSON.stringify(request.query)).not.toContain('refresh-token-xyz');
      expect(request.path).not.toContain('refresh-token-xyz');
      expect(JSON.stringify(request.headers)).not.toContain('refresh-token-xyz');
    }
  });

  it('makes a confidential exchange when a client secret is given', async () => {
    const before = idp.tokenRequests().length;
    const token = await acquireToken(
      base({ clientId: APP, method: { kind: 'refresh-token', refreshToken: idp.refreshToken, clientSecret: SECRET } }),
    );
    expect(decodeJwt(token.accessToken).appid).toBe(APP);
    expect(idp.tokenRequests()[before]!.form.client_secret).toBe(SECRET);
  });

  it('an invalid refresh token is one line with the AADSTS code and advice, without the token', async () => {
    const error = await failure(
      acquireToken(base({ method: { kind: 'refresh-token', refreshToken: 'rt.not-a-valid-one-123456' } })),
    );
    expect(error.message).toMatch(
      /^refresh-token exchange at https:\/\/127\.0\.0\.1:\d+ for tenant [0-9a-f-]+ failed: invalid_grant AADSTS70000: /,
    );
    expect(error.message).not.toContain('rt.not-a-valid-one-123456');
    expect(error.message).not.toMatch(/Trace ID|Correlation ID/);
  });

  it('an MFA-required answer (AADSTS50076) says so', async () => {
    idp.setTokenError(idpErrors.mfaRequired);
    try {
      const error = await failure(
        acquireToken(base({ method: { kind: 'refresh-token', refreshToken: idp.refreshToken } })),
      );
      expect(error.message).toContain('AADSTS50076');
      expect(error.message).toContain('MFA is required');
    } finally {
      idp.setTokenError(undefined);
    }
  });
});

describe('device code', () => {
  it('prompts through onPrompt, polls until the sign-in completes, and returns the user token', async () => {
    const slow = await startIdp({ deviceCodePendingPolls: 1, deviceCodeInterval: 1 });
    try {
      const prompts: string[] = [];
      const token = await acquireToken({
        tenantId: 'contoso.onmicrosoft.com',
        clientId: PUBLIC_CLIENT,
        scopes: [PARTNER_CENTER],
        authorityHost: slow.url,
        trustedCa: slow.ca,
        method: { kind: 'device-code', onPrompt: (message) => prompts.push(message) },
      });
      expect(prompts).toHaveLength(1);
      expect(prompts[0]).toMatch(
        /open the page https:\/\/127\.0\.0\.1:\d+\/devicelogin and enter the code [0-9A-F]{8}/,
      );
      expect(decodeJwt(token.accessToken).tid).toBe(slow.tenantId);
      const polls = slow.tokenRequests().filter((r) => r.form.grant_type === 'device_code');
      expect(polls).toHaveLength(2);
    } finally {
      await slow.close();
    }
  });

  it('an error answer while polling keeps its AADSTS code and description', async () => {
    idp.setTokenError(idpErrors.mfaRequired);
    try {
      const error = await failure(acquireToken(base({ method: { kind: 'device-code', onPrompt: () => {} } })));
      expect(error.message).toMatch(
        /^device code sign-in at .* failed: invalid_grant AADSTS50076: Due to a configuration change/,
      );
    } finally {
      idp.setTokenError(undefined);
    }
  });

  it('a session renews silently instead of prompting a second time', async () => {
    const prompts: string[] = [];
    const session = createSignInSession(
      base({ method: { kind: 'device-code', onPrompt: (message) => prompts.push(message) } }),
    );
    const first = await session.acquire();
    const second = await session.acquire();
    expect(prompts).toHaveLength(1);
    expect(second.accessToken).toBe(first.accessToken);
  });
});

describe('app-only (client credentials)', () => {
  it('client secret: an app-only Graph token (appidacr 1), the secret sent in the body', async () => {
    const before = idp.tokenRequests().length;
    const token = await acquireToken(
      base({ clientId: APP, scopes: [GRAPH_DEFAULT], method: { kind: 'client-secret', clientSecret: SECRET } }),
    );
    const claims = decodeJwt(token.accessToken);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      idtyp: 'app',
      appidacr: '1',
      roles: ['Policy.Read.All', 'User.Read.All'],
    });
    const request = idp.tokenRequests()[before]!;
    expect(request.form).toMatchObject({
      grant_type: 'client_credentials',
      client_secret: SECRET,
      scope: GRAPH_DEFAULT,
    });
    expect(JSON.stringify(request.query)).not.toContain(SECRET);
  });

  it('a wrong client secret is AADSTS7000215 with advice, and the secret is not echoed', async () => {
    const wrong = 'wrong-secret-value-0123';
    const error = await failure(
      acquireToken(
        base({ clientId: APP, scopes: [GRAPH_DEFAULT], method: { kind: 'client-secret', clientSecret: wrong } }),
      ),
    );
    expect(error.message).toContain('invalid_client AADSTS7000215');
    expect(error.message).toContain('check the secret');
    expect(error.message).not.toContain(wrong);
  });

  it('certificate: msal signs a client assertion the IdP verifies against the registered certificate', async () => {
    const before = idp.tokenRequests().length;
    const token = await acquireToken(
      base({
        clientId: APP,
        scopes: [GRAPH_DEFAULT],
        method: { kind: 'certificate', certificatePem: certificate.cert, privateKeyPem: certificate.key },
      }),
    );
    expect(decodeJwt(token.accessToken).appidacr).toBe('2');
    const request = idp.tokenRequests()[before]!;
    expect(request.form.client_assertion_type).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(request.form.client_secret).toBeUndefined();
  });

  it('a certificate the app does not have is refused (AADSTS700027), key material never in the message', async () => {
    const other = await appCertificate('another-app');
    const error = await failure(
      acquireToken(
        base({
          clientId: APP,
          scopes: [GRAPH_DEFAULT],
          method: { kind: 'certificate', certificatePem: other.cert, privateKeyPem: other.key },
        }),
      ),
    );
    expect(error.message).toContain('AADSTS700027');
    expect(error.message).not.toContain('PRIVATE KEY');
  });

  it('client assertion: the federated token is fetched for each request and sent as client_assertion', async () => {
    let calls = 0;
    const assertion = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm9yZy9yZXBvIn0.c2ln';
    const before = idp.tokenRequests().length;
    const token = await acquireToken(
      base({
        clientId: APP,
        scopes: [GRAPH_DEFAULT],
        method: { kind: 'client-assertion', getAssertion: async () => (calls++, assertion) },
      }),
    );
    expect(calls).toBe(1);
    expect(decodeJwt(token.accessToken).idtyp).toBe('app');
    expect(idp.tokenRequests()[before]!.form.client_assertion).toBe(assertion);
  });

  it('a federated assertion the app does not trust fails without printing the assertion', async () => {
    const untrusted = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzb21lb25lLWVsc2UifQ.c2ln';
    const error = await failure(
      acquireToken(
        base({
          clientId: APP,
          scopes: [GRAPH_DEFAULT],
          method: { kind: 'client-assertion', getAssertion: async () => untrusted },
        }),
      ),
    );
    expect(error.message).toContain('federated credential sign-in (app-only)');
    expect(error.message).not.toContain(untrusted);
  });

  it('an unknown application id is AADSTS700016', async () => {
    const error = await failure(
      acquireToken(
        base({
          clientId: '33333333-3333-4333-8333-333333333333',
          scopes: [GRAPH_DEFAULT],
          method: { kind: 'client-secret', clientSecret: SECRET },
        }),
      ),
    );
    expect(error.message).toContain('AADSTS700016');
    expect(error.message).not.toContain(SECRET);
  });
});

describe('authority and network failures', () => {
  it('an unknown tenant is AADSTS90002 (from the openid-configuration answer), one line', async () => {
    const error = await failure(
      acquireToken(
        base({ tenantId: 'fabrikam.example', method: { kind: 'refresh-token', refreshToken: idp.refreshToken } }),
      ),
    );
    expect(error.message).toContain('for tenant fabrikam.example failed: invalid_tenant AADSTS90002');
    expect(error.message).toContain('check --tenant-id');
    expect(error.message).not.toContain(idp.refreshToken);
  });

  it('a closed port is "cannot reach … connection refused"', async () => {
    const gone = await startIdp();
    const url = gone.url;
    await gone.close();
    const error = await failure(
      acquireToken({
        ...base({ method: { kind: 'refresh-token', refreshToken: 'rt.secret-refresh-000' } }),
        authorityHost: url,
      }),
    );
    expect(error.message).toMatch(/cannot reach the sign-in authority https:\/\/127\.0\.0\.1:\d+: connection refused/);
    expect(error.message).not.toContain('rt.secret-refresh-000');
  });

  it('an untrusted TLS certificate is named as such', async () => {
    const error = await failure(
      acquireToken({
        ...base({ method: { kind: 'refresh-token', refreshToken: idp.refreshToken } }),
        trustedCa: undefined,
      }),
    );
    expect(error.message).toContain('TLS certificate is not trusted');
  });

  it('a token endpoint that never answers times out', async () => {
    idp.setHang(true);
    try {
      const error = await failure(
        acquireToken(base({ timeoutMs: 300, method: { kind: 'refresh-token', refreshToken: idp.refreshToken } })),
      );
      expect(error.message).toMatch(/the sign-in authority https:\/\/127\.0\.0\.1:\d+ gave no answer within 300 ms$/);
    } finally {
      idp.setHang(false);
    }
  });

  it('a non-https authority is a usage error (msal-node refuses them)', async () => {
    await expect(
      acquireToken({
        ...base({ method: { kind: 'refresh-token', refreshToken: 'x' } }),
        authorityHost: 'http://127.0.0.1:1',
      }),
    ).rejects.toBeInstanceOf(UsageError);
    await expect(
      acquireToken({
        ...base({ method: { kind: 'refresh-token', refreshToken: 'x' } }),
        authorityHost: 'https://login.microsoftonline.com/contoso',
      }),
    ).rejects.toThrow(/host only/);
  });
});
