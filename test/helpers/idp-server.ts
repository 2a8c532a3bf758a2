/**
 * A local Microsoft Entra-shaped identity provider for tests: HTTPS on 127.0.0.1 (certificate from testTls()),
 * speaking just enough OAuth 2.0 / OpenID Connect for @azure/msal-node to sign in against it for real.
 *
 *   const idp = await startIdp({ amr: ['pwd', 'mfa'] });
 *   // authority host: idp.url (https://127.0.0.1:PORT); tenant: idp.tenantId (or 'contoso.onmicrosoft.com')
 *   // in-process: pass idp.ca as SignInOptions.trustedCa; a spawned CLI: env NODE_EXTRA_CA_CERTS=idp.caFile
 *   ...
 *   await idp.close();
 *
 * Endpoints (TENANT = the tenant id, a domain in `domains`, 'common' or 'organizations'; others get AADSTS90002):
 *   GET  /TENANT/v2.0/.well-known/openid-configuration   v2 metadata (issuer https://127.0.0.1:PORT/TID/v2.0)
 *   GET  /TENANT/.well-known/openid-configuration        v1 metadata (issuer https://sts.windows.net/TID/)
 *   GET  /common/discovery/instance                      instance discovery (msal skips it with knownAuthorities)
 *   GET  /TENANT/discovery/v2.0/keys, /TENANT/discovery/keys   the JWKS of the signing key (RS256, kid = x5t)
 *   POST /TENANT/oauth2/v2.0/devicecode                  device authorization (message names /devicelogin)
 *   POST /TENANT/oauth2/v2.0/token (and /oauth2/token)   grant types:
 *     refresh_token        accepts `idp.refreshToken` (or opts.refreshToken); a client registered with a secret
 *                          must send it (confidential Secure Application Model exchange)
 *     device_code          (or urn:ietf:params:oauth:grant-type:device_code) 'authorization_pending' for `deviceCodePendingPolls` polls, then a token
 *     client_credentials   client_secret, or client_assertion (a JWT signed with the registered certificate's
 *                          key, checked with jose; or exactly the registered federated assertion)
 *
 * Tokens: access tokens are v1.0 Entra shapes signed RS256 with a key made at start: iss
 * https://sts.windows.net/TID/, aud = the resource of the requested scope (e.g. https://api.partnercenter.microsoft.com),
 * delegated: scp (from the scope), amr (setAmr), upn/unique_name, oid, appid, appidacr 0; app-only: roles
 * (setAppRoles), idtyp app, oid = sub, appidacr 1 (secret) or 2 (certificate/assertion). Delegated responses also
 * carry an id_token (v2, unsigned-but-well-formed for msal, which only decodes it) and client_info
 * (base64url {"uid","utid"}) so msal's account cache works; a new refresh token comes with every delegated answer.
 *
 * Faults: setTokenError(idpErrors.mfaRequired | idpErrors.invalidGrant | custom) answers every token request with
 * an Entra error body (error, error_description "AADSTS…: … Trace ID: …", error_codes, suberror);
 * setHang(true) never answers token requests (for timeouts). Every request is recorded in `requests` (method,
 * path, query, headers, raw body, parsed form) so tests can assert where a credential travelled.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importX509,
  jwtVerify,
  SignJWT,
  type JWK,
} from 'jose';
import { testTls } from './tls.js';

export interface IdpError {
  status?: number;
  error: string;
  /** The AADSTS number; it leads error_description as Entra does. */
  code?: number;
  description: string;
  suberror?: string;
}

/** Errors Entra really returns on the token endpoint, in its shapes. */
export const idpErrors = {
  mfaRequired: {
    error: 'invalid_grant',
    code: 50076,
    suberror: 'basic_action',
    description:
      "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access 'fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd'.",
  },
  invalidGrant: {
    error: 'invalid_grant',
    code: 70000,
    description: "The provided value for the input parameter 'refresh_token' or 'assertion' is not valid.",
  },
  expiredRefreshToken: {
    error: 'invalid_grant',
    code: 700082,
    description: 'The refresh token has expired due to inactivity.',
  },
  invalidClientSecret: {
    status: 401,
    error: 'invalid_client',
    code: 7000215,
    description:
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
  },
} satisfies Record<string, IdpError>;

export interface IdpClient {
  /** Client secret the app registration has (client_credentials; confidential refresh-token exchange). */
  secret?: string;
  /** PEM certificate uploaded to the app: client assertions must be signed by its key. */
  certificatePem?: string;
  /** A federated assertion accepted verbatim (workload identity); tests make it any JWT they like. */
  federatedAssertion?: string;
}

export interface IdpOptions {
  /** Tenant GUID (random when absent). */
  tenantId?: string;
  /** Verified domains accepted in place of the tenant id. Default ['contoso.onmicrosoft.com']. */
  domains?: string[];
  /** amr of delegated access tokens. Default ['pwd', 'mfa']. */
  amr?: string[];
  user?: { oid?: string; upn?: string; name?: string };
  /** The refresh token the IdP accepts (random when absent). */
  refreshToken?: string;
  /** Registered app registrations by client id. Unregistered clients may use public flows only. */
  clients?: Record<string, IdpClient>;
  /** Token polls answered 'authorization_pending' before the device code completes. Default 0. */
  deviceCodePendingPolls?: number;
  /** Device code polling interval announced to the client, in seconds. Default 1. */
  deviceCodeInterval?: number;
  /** Access token lifetime in seconds. Default 3600. */
  tokenLifetimeSeconds?: number;
  /** Roles of app-only tokens. Default []. */
  appRoles?: string[];
  /** scp of delegated tokens requested with '.default'. Default 'user_impersonation'. */
  defaultDelegatedScopes?: string;
  /** Extra claims merged into every access token (last word). */
  extraClaims?: Record<string, unknown>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  form: Record<string, string>;
}

export interface IssuedToken {
  grantType: string;
  clientId: string;
  accessToken: string;
  claims: Record<string, unknown>;
}

export interface Idp {
  /** https://127.0.0.1:PORT (the authority host). */
  url: string;
  /** 127.0.0.1:PORT */
  host: string;
  tenantId: string;
  /** The TLS certificate (PEM) to trust in-process, and a file of it for NODE_EXTRA_CA_CERTS. */
  ca: string;
  caFile: string;
  /** The refresh token the IdP currently accepts (also every refresh token it has issued). */
  refreshToken: string;
  requests: RecordedRequest[];
  issued: IssuedToken[];
  /** The public signing key set, as served at /discovery/v2.0/keys. */
  jwks: { keys: JWK[] };
  setAmr(amr: string[] | undefined): void;
  setAppRoles(roles: string[]): void;
  setTokenError(error: IdpError | undefined): void;
  setHang(hang: boolean): void;
  registerClient(clientId: string, client: IdpClient): void;
  /** Token-endpoint requests only. */
  tokenRequests(): RecordedRequest[];
  close(): Promise<void>;
}

const PUBLIC_CLIENT_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export async function startIdp(options: IdpOptions = {}): Promise<Idp> {
  const tls = await testTls();
  const tenantId = options.tenantId ?? randomUUID();
  const domains = new Set((options.domains ?? ['contoso.onmicrosoft.com']).map((d) => d.toLowerCase()));
  const user = {
    oid: options.user?.oid ?? randomUUID(),
    upn: options.user?.upn ?? 'admin@contoso.onmicrosoft.com',
    name: options.user?.name ?? 'Contoso Admin',
  };
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const clients = new Map(Object.entries(options.clients ?? {}));
  const acceptedRefreshTokens = new Set<string>([
    options.refreshToken ?? `rt.${randomBytes(24).toString('base64url')}`,
  ]);
  let amr: string[] | undefined = options.amr ?? ['pwd', 'mfa'];
  let appRoles = options.appRoles ?? [];
  let tokenError: IdpError | undefined;
  let hang = false;
  const deviceCodes = new Map<string, { clientId: string; scope: string; polls: number }>();

  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwks = { keys: [{ ...publicJwk, kid, x5t: kid, use: 'sig', kty: 'RSA' }] };

  const requests: RecordedRequest[] = [];
  const issued: IssuedToken[] = [];
  const sockets = new Set<Socket>();

  let url = '';
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      send(res, 500, { error: 'server_error', error_description: String(error) });
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const host = `127.0.0.1:${port}`;
  url = `https://${host}`;

  function send(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent) return;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }

  function entraError(res: ServerResponse, error: IdpError): void {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = new Date()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    const code = error.code === undefined ? '' : `AADSTS${error.code}: `;
    send(res, error.status ?? 400, {
      error: error.error,
      error_description: `${code}${error.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: error.code === undefined ? [] : [error.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${url}/error?code=${error.code ?? ''}`,
      ...(error.suberror ? { suberror: error.suberror } : {}),
    });
  }

  /** The tenant path segment: the tenant id, a verified domain, or a multi-tenant alias. */
  function knownTenant(segment: string): boolean {
    const s = segment.toLowerCase();
    return s === tenantId || domains.has(s) || s === 'common' || s === 'organizations';
  }

  function v2Metadata(): Record<string, unknown> {
    const base = `${url}/${tenantId}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${url}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
      ],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    };
  }

  function v1Metadata(): Record<string, unknown> {
    const base = `${url}/${tenantId}`;
    return {
      token_endpoint: `${base}/oauth2/token`,
      jwks_uri: `${base}/discovery/keys`,
      issuer: `https://sts.windows.net/${tenantId}/`,
      authorization_endpoint: `${base}/oauth2/authorize`,
      device_authorization_endpoint: `${base}/oauth2/devicecode`,
      end_session_endpoint: `${base}/oauth2/logout`,
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
      subject_types_supported: ['pairwise'],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const target = new URL(req.url ?? '/', url);
    const form = Object.fromEntries(new URLSearchParams(body));
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      headers: { ...req.headers },
      body,
      form: (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded') ? form : {},
    };
    requests.push(recorded);

    const segments = target.pathname.split('/').filter(Boolean);
    const tenant = segments[0] ?? '';
    const rest = segments.slice(1).join('/');

    if (req.method === 'GET' && tenant === 'common' && rest === 'discovery/instance') {
      send(res, 200, {
        tenant_discovery_endpoint: `${url}/${tenantId}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      });
      return;
    }
    if (!knownTenant(tenant)) {
      entraError(res, {
        error: 'invalid_tenant',
        code: 90002,
        description: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      });
      return;
    }
    if (req.method === 'GET' && rest === 'v2.0/.well-known/openid-configuration') return send(res, 200, v2Metadata());
    if (req.method === 'GET' && rest === '.well-known/openid-configuration') return send(res, 200, v1Metadata());
    if (req.method === 'GET' && (rest === 'discovery/v2.0/keys' || rest === 'discovery/keys')) {
      return send(res, 200, jwks);
    }
    if (req.method === 'POST' && (rest === 'oauth2/v2.0/devicecode' || rest === 'oauth2/devicecode')) {
      const clientId = form.client_id ?? '';
      const deviceCode = `dc.${randomBytes(16).toString('base64url')}`;
      const userCode = randomBytes(4).toString('hex').toUpperCase();
      deviceCodes.set(deviceCode, { clientId, scope: form.scope ?? '', polls: 0 });
      return send(res, 200, {
        user_code: userCode,
        device_code: deviceCode,
        verification_uri: `${url}/devicelogin`,
        expires_in: 900,
        interval: options.deviceCodeInterval ?? 1,
        message: `To sign in, use a web browser to open the page ${url}/devicelogin and enter the code ${userCode} to authenticate.`,
      });
    }
    if (req.method === 'POST' && (rest === 'oauth2/v2.0/token' || rest === 'oauth2/token')) {
      if (hang) return; // never answer: the client's timeout must fire
      return token(res, form);
    }
    send(res, 404, { error: 'not_found', error_description: `no route ${req.method} ${target.pathname}` });
  }

  async function token(res: ServerResponse, form: Record<string, string>): Promise<void> {
    if (tokenError) return entraError(res, tokenError);
    const grantType = form.grant_type ?? '';
    const clientId = form.client_id ?? '';
    const scopes = (form.scope ?? '').split(' ').filter((s) => s && !PUBLIC_CLIENT_SCOPES.has(s));
    const client = clients.get(clientId);

    if (grantType === 'refresh_token') {
      if (client?.secret !== undefined && form.client_secret !== client.secret) {
        return entraError(res, idpErrors.invalidClientSecret);
      }
      if (!acceptedRefreshTokens.has(form.refresh_token ?? '')) return entraError(res, idpErrors.invalidGrant);
      return delegated(res, grantType, clientId, scopes);
    }
    if (grantType === 'device_code' || grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
      const pending = deviceCodes.get(form.device_code ?? '');
      if (!pending || pending.clientId !== clientId) {
        return entraError(res, { error: 'invalid_grant', code: 70000, description: 'The device code is not valid.' });
      }
      pending.polls += 1;
      if (pending.polls <= (options.deviceCodePendingPolls ?? 0)) {
        return entraError(res, {
          error: 'authorization_pending',
          code: 70016,
          description: 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
        });
      }
      deviceCodes.delete(form.device_code ?? '');
      return delegated(res, grantType, clientId, scopes);
    }
    if (grantType === 'client_credentials') {
      if (!client) {
        return entraError(res, {
          status: 400,
          error: 'unauthorized_client',
          code: 700016,
          description: `Application with identifier '${clientId}' was not found in the directory '${tenantId}'.`,
        });
      }
      let appidacr: '1' | '2';
      if (form.client_secret !== undefined) {
        if (client.secret === undefined || form.client_secret !== client.secret) {
          return entraError(res, idpErrors.invalidClientSecret);
        }
        appidacr = '1';
      } else if (form.client_assertion !== undefined) {
        const problem = await checkAssertion(client, clientId, form);
        if (problem) {
          return entraError(res, { status: 401, error: 'invalid_client', code: 700027, description: problem });
        }
        appidacr = '2';
      } else {
        return entraError(res, {
          status: 401,
          error: 'invalid_client',
          code: 7000218,
          description: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        });
      }
      return appOnly(res, clientId, scopes, appidacr);
    }
    entraError(res, {
      error: 'unsupported_grant_type',
      code: 70003,
      description: `grant_type '${grantType}' is not supported.`,
    });
  }

  async function checkAssertion(
    client: IdpClient,
    clientId: string,
    form: Record<string, string>,
  ): Promise<string | undefined> {
    const assertion = form.client_assertion ?? '';
    if (form.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return 'client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.';
    }
    if (client.federatedAssertion !== undefined && assertion === client.federatedAssertion) return undefined;
    if (client.certificatePem === undefined)
      return 'Client assertion is not signed by a certificate registered for the app.';
    try {
      const header = decodeProtectedHeader(assertion);
      // Entra finds the registered certificate by the thumbprint in the header (x5t#S256, or legacy SHA-1 x5t).
      const cert = new X509Certificate(client.certificatePem);
      const thumbprint = (fingerprint: string): string =>
        Buffer.from(fingerprint.replace(/:/g, ''), 'hex').toString('base64url');
      if (header['x5t#S256'] !== thumbprint(cert.fingerprint256) && header.x5t !== thumbprint(cert.fingerprint)) {
        return 'The thumbprint in the client assertion does not match a certificate registered for the app.';
      }
      const key = await importX509(client.certificatePem, typeof header.alg === 'string' ? header.alg : 'RS256');
      const { payload } = await jwtVerify(assertion, key, {
        audience: [`${url}/${tenantId}/oauth2/v2.0/token`, ...[...domains].map((d) => `${url}/${d}/oauth2/v2.0/token`)],
        issuer: clientId,
        subject: clientId,
        clockTolerance: 300, // Entra allows five minutes of skew (msal rounds nbf to the nearest second)
      });
      if (typeof payload.jti !== 'string') return 'The client assertion has no jti.';
      return undefined;
    } catch (error) {
      return `Client assertion failed signature validation (${(error as Error).message}).`;
    }
  }

  function resourceOf(scopes: string[]): { aud: string; scp: string } {
    const first = scopes[0] ?? 'https://api.partnercenter.microsoft.com/user_impersonation';
    const slash = first.lastIndexOf('/');
    const aud = slash > 0 ? first.slice(0, slash) : 'https://api.partnercenter.microsoft.com';
    const perms = scopes
      .filter((s) => s.startsWith(`${aud}/`))
      .map((s) => s.slice(aud.length + 1))
      .map((s) => (s === '.default' ? (options.defaultDelegatedScopes ?? 'user_impersonation') : s));
    return { aud, scp: perms.join(' ') || 'user_impersonation' };
  }

  async function sign(claims: Record<string, unknown>): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid, x5t: kid }).sign(privateKey);
  }

  async function delegated(res: ServerResponse, grantType: string, clientId: string, scopes: string[]): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const { aud, scp } = resourceOf(scopes);
    const claims: Record<string, unknown> = {
      aud,
      iss: `https://sts.windows.net/${tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + lifetime,
      acr: '1',
      aio: randomBytes(12).toString('base64url'),
      ...(amr ? { amr } : {}),
      appid: clientId,
      appidacr: '0',
      family_name: 'Admin',
      given_name: 'Contoso',
      ipaddr: '127.0.0.1',
      name: user.name,
      oid: user.oid,
      scp,
      sub: randomBytes(16).toString('base64url'),
      tid: tenantId,
      unique_name: user.upn,
      upn: user.upn,
      uti: randomBytes(12).toString('base64url'),
      ver: '1.0',
      ...options.extraClaims,
    };
    const accessToken = await sign(claims);
    const idToken = await sign({
      aud: clientId,
      iss: `${url}/${tenantId}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + lifetime,
      name: user.name,
      oid: user.oid,
      preferred_username: user.upn,
      sub: randomBytes(16).toString('base64url'),
      tid: tenantId,
      ver: '2.0',
    });
    const refreshToken = `rt.${randomBytes(24).toString('base64url')}`;
    acceptedRefreshTokens.add(refreshToken);
    issued.push({ grantType, clientId, accessToken, claims });
    send(res, 200, {
      token_type: 'Bearer',
      scope: scopes.join(' '),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: idToken,
      client_info: Buffer.from(JSON.stringify({ uid: user.oid, utid: tenantId })).toString('base64url'),
    });
  }

  async function appOnly(res: ServerResponse, clientId: string, scopes: string[], appidacr: '1' | '2'): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const { aud } = resourceOf(scopes);
    const servicePrincipalOid = `sp-${clientId}`;
    const claims: Record<string, unknown> = {
      aud,
      iss: `https://sts.windows.net/${tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + lifetime,
      aio: randomBytes(12).toString('base64url'),
      app_displayname: 'mfa-audit test app',
      appid: clientId,
      appidacr,
      idp: `https://sts.windows.net/${tenantId}/`,
      idtyp: 'app',
      oid: servicePrincipalOid,
      roles: appRoles,
      sub: servicePrincipalOid,
      tid: tenantId,
      uti: randomBytes(12).toString('base64url'),
      ver: '1.0',
      ...options.extraClaims,
    };
    const accessToken = await sign(claims);
    issued.push({ grantType: 'client_credentials', clientId, accessToken, claims });
    send(res, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken });
  }

  const idp: Idp = {
    url,
    host,
    tenantId,
    ca: tls.cert,
    caFile: tls.caFile,
    get refreshToken() {
      return [...acceptedRefreshTokens][0] ?? '';
    },
    requests,
    issued,
    jwks,
    setAmr(value) {
      amr = value;
    },
    setAppRoles(roles) {
      appRoles = roles;
    },
    setTokenError(error) {
      tokenError = error;
    },
    setHang(value) {
      hang = value;
    },
    registerClient(clientId, client) {
      clients.set(clientId, client);
    },
    tokenRequests() {
      return requests.filter((r) => r.method === 'POST' && /\/oauth2\/(v2\.0\/)?token$/.test(r.path));
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
    },
  };
  return idp;
}
