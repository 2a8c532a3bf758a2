/**
 * The auth layer shared by `token --acquire` and `tenant --tenant-id`, on @azure/msal-node.
 *
 * - Public client: device code (interactive; the prompt goes to `onPrompt`, which the caller writes to stderr)
 *   and refresh-token exchange (Secure Application Model; with `clientSecret` the exchange is confidential).
 * - Confidential client (app-only, client credentials): client secret, certificate, client assertion
 *   (federated credentials such as AZURE_FEDERATED_TOKEN_FILE, read each time a token is needed).
 *
 * msal is loaded lazily (it is the heaviest module of the CLI), talks through a bounded network client
 * (`http-client.ts`: timeouts, a reason for every network failure), logs nothing, and every failure becomes one
 * CollectionError line with no token or secret in it (`sign-in-errors.ts`).
 */
import { X509Certificate } from 'node:crypto';
import type {
  AccountInfo,
  AuthenticationResult,
  ConfidentialClientApplication,
  Configuration,
  PublicClientApplication,
} from '@azure/msal-node';
import { CollectionError, UsageError } from '../errors.js';
import { boundedNetworkClient, type BoundedNetworkClient } from './http-client.js';
import { signInFailure } from './sign-in-errors.js';

export type SignInMethod =
  | { kind: 'device-code'; onPrompt: (message: string) => void }
  /** Secure Application Model: a refresh token from consent; `clientSecret` makes the exchange confidential. */
  | { kind: 'refresh-token'; refreshToken: string; clientSecret?: string }
  | { kind: 'client-secret'; clientSecret: string }
  /** `thumbprint`: hex SHA-256 (64 digits) or SHA-1 (40, legacy); computed from `certificatePem` when absent. */
  | { kind: 'certificate'; certificatePem: string; privateKeyPem: string; thumbprint?: string }
  | { kind: 'client-assertion'; getAssertion: () => Promise<string> };

export interface SignInOptions {
  tenantId: string;
  clientId: string;
  scopes: string[];
  /** Authority host, e.g. https://login.microsoftonline.com (national clouds and test IdPs differ). */
  authorityHost?: string;
  method: SignInMethod;
  /** Per-request limit for the identity provider (default 30 s). */
  timeoutMs?: number;
  /** Extra CA certificate(s), PEM, to trust besides the bundled roots (tests; NODE_EXTRA_CA_CERTS does it too). */
  trustedCa?: string;
}

interface AcquiredToken {
  accessToken: string;
  expiresOn?: Date;
  /** The signed-in account's UPN, when delegated. */
  account?: string;
}

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/**
 * Entra authority hosts (public and national clouds) that msal knows: for these it runs its normal instance
 * discovery. Any other host (a test IdP, a private cloud) is declared in `knownAuthorities`, so msal reads that
 * host's own openid-configuration and never asks Microsoft about it.
 */
const MICROSOFT_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'sts.windows.net',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login-us.microsoftonline.com',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.de',
]);

/** One sign-in, reusable: the msal application (and its in-memory cache) lives as long as the session. */
interface SignInSession {
  acquire(): Promise<AcquiredToken>;
}

export async function acquireToken(options: SignInOptions): Promise<AcquiredToken> {
  return createSignInSession(options).acquire();
}

export function createSignInSession(options: SignInOptions): SignInSession {
  const authorityHost = normaliseAuthorityHost(options.authorityHost ?? DEFAULT_AUTHORITY_HOST);
  const network = boundedNetworkClient({ timeoutMs: options.timeoutMs, trustedCa: options.trustedCa });
  const secrets = secretsOf(options.method);
  const flow = flowName(options.method);
  let app: Promise<MsalApp> | undefined;
  let account: AccountInfo | undefined;
  const assertionsSeen: string[] = [];

  const fail = (error: unknown): CollectionError =>
    error instanceof CollectionError
      ? error
      : signInFailure(error, {
          flow,
          authorityHost,
          tenantId: options.tenantId,
          secrets: [...secrets, ...assertionsSeen],
          lastNetworkFailure: network.lastFailure,
          lastErrorAnswer: network.lastErrorAnswer,
        });

  return {
    async acquire() {
      app ??= buildApp(options, authorityHost, network, assertionsSeen);
      const msal = await app;
      network.lastFailure = undefined;
      network.lastErrorAnswer = undefined;
      let result: AuthenticationResult | null;
      try {
        result = await acquireWith(msal, options, account);
      } catch (error) {
        throw fail(error);
      }
      if (!result?.accessToken) {
        throw new CollectionError(`${flow} at ${authorityHost} returned no access token`);
      }
      if (result.account) account = result.account;
      return {
        accessToken: result.accessToken,
        ...(result.expiresOn ? { expiresOn: result.expiresOn } : {}),
        ...(result.account?.username ? { account: result.account.username } : {}),
      };
    },
  };
}

type MsalApp =
  { kind: 'public'; app: PublicClientApplication } | { kind: 'confidential'; app: ConfidentialClientApplication };

async function buildApp(
  options: SignInOptions,
  authorityHost: string,
  network: BoundedNetworkClient,
  assertionsSeen: string[],
): Promise<MsalApp> {
  const msal = await import('@azure/msal-node');
  const host = new URL(authorityHost).host;
  const auth: Configuration['auth'] = {
    clientId: options.clientId,
    authority: `${authorityHost}/${encodeURIComponent(options.tenantId)}`,
    ...(MICROSOFT_AUTHORITY_HOSTS.has(host.toLowerCase()) ? {} : { knownAuthorities: [host] }),
  };
  const config: Configuration = {
    auth,
    system: {
      networkClient: network,
      // Logging off: msal's verbose logs can include request details; nothing of a sign-in is printed.
      loggerOptions: { loggerCallback: () => {}, piiLoggingEnabled: false, logLevel: msal.LogLevel.Error },
    },
  };
  const method = options.method;
  switch (method.kind) {
    case 'device-code':
      return { kind: 'public', app: new msal.PublicClientApplication(config) };
    case 'refresh-token':
      if (method.clientSecret === undefined) return { kind: 'public', app: new msal.PublicClientApplication(config) };
      auth.clientSecret = method.clientSecret;
      return { kind: 'confidential', app: new msal.ConfidentialClientApplication(config) };
    case 'client-secret':
      auth.clientSecret = method.clientSecret;
      return { kind: 'confidential', app: new msal.ConfidentialClientApplication(config) };
    case 'certificate':
      auth.clientCertificate = {
        ...certificateThumbprint(method.certificatePem, method.thumbprint),
        privateKey: method.privateKeyPem,
      };
      return { kind: 'confidential', app: new msal.ConfidentialClientApplication(config) };
    case 'client-assertion':
      auth.clientAssertion = async () => {
        const assertion = (await method.getAssertion()).trim();
        if (assertion === '') throw new CollectionError('the client assertion (federated token) is empty');
        assertionsSeen.push(assertion);
        return assertion;
      };
      return { kind: 'confidential', app: new msal.ConfidentialClientApplication(config) };
  }
}

async function acquireWith(
  msal: MsalApp,
  options: SignInOptions,
  account: AccountInfo | undefined,
): Promise<AuthenticationResult | null> {
  const { scopes, method } = options;
  if (msal.kind === 'confidential' && method.kind !== 'refresh-token') {
    // msal answers from its in-memory cache while the app-only token is fresh.
    return msal.app.acquireTokenByClientCredential({ scopes });
  }
  if (account) {
    // A later call in the same run: renew silently with what msal cached (no second device-code prompt).
    try {
      return await msal.app.acquireTokenSilent({ account, scopes });
    } catch {
      // fall through to the original flow
    }
  }
  if (method.kind === 'refresh-token') {
    return msal.app.acquireTokenByRefreshToken({ refreshToken: method.refreshToken, scopes, forceCache: true });
  }
  if (method.kind === 'device-code' && msal.kind === 'public') {
    return msal.app.acquireTokenByDeviceCode({
      scopes,
      deviceCodeCallback: (response) => method.onPrompt(response.message),
    });
  }
  throw new CollectionError(`sign-in: unsupported method ${method.kind}`);
}

/** The certificate's thumbprint as msal v7 wants it: hex SHA-256 (or a given legacy SHA-1). */
export function certificateThumbprint(
  certificatePem: string,
  given?: string,
): { thumbprintSha256: string } | { thumbprint: string } {
  if (given !== undefined) {
    const hex = given.replace(/[:\s]/g, '').toUpperCase();
    if (/^[0-9A-F]{64}$/.test(hex)) return { thumbprintSha256: hex };
    if (/^[0-9A-F]{40}$/.test(hex)) return { thumbprint: hex };
    throw new UsageError('a certificate thumbprint must be 64 (SHA-256) or 40 (SHA-1) hexadecimal digits');
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch (error) {
    throw new UsageError('the certificate is not a PEM X.509 certificate', { cause: error });
  }
  return { thumbprintSha256: certificate.fingerprint256.replace(/:/g, '').toUpperCase() };
}

/** `https://host[:port]` without a trailing slash; anything else is a usage error (msal refuses http). */
export function normaliseAuthorityHost(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new UsageError(`--authority '${value}' is not a URL (expected e.g. https://login.microsoftonline.us)`, {
      cause: error,
    });
  }
  if (url.protocol !== 'https:') {
    throw new UsageError(`--authority must be an https:// URL, got '${url.protocol}//${url.host}'`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new UsageError(
      `--authority takes the host only (e.g. https://login.microsoftonline.us); the tenant comes from --tenant-id`,
    );
  }
  return url.origin;
}

function secretsOf(method: SignInMethod): string[] {
  switch (method.kind) {
    case 'refresh-token':
      return method.clientSecret === undefined ? [method.refreshToken] : [method.refreshToken, method.clientSecret];
    case 'client-secret':
      return [method.clientSecret];
    case 'certificate':
      return [method.privateKeyPem];
    default:
      return [];
  }
}

function flowName(method: SignInMethod): string {
  switch (method.kind) {
    case 'device-code':
      return 'device code sign-in';
    case 'refresh-token':
      return 'refresh-token exchange';
    case 'client-secret':
      return 'client secret sign-in (app-only)';
    case 'certificate':
      return 'certificate sign-in (app-only)';
    case 'client-assertion':
      return 'federated credential sign-in (app-only)';
  }
}
