/**
 * How the two commands get their access tokens: a sign-in request (what the user asked for, with the environment
 * filling in what was not given) becomes a method, scopes and an authority, and then a token through `sign-in.ts`.
 *
 * Secrets never come from arguments (they would land in shell history and `ps`): a refresh token comes from an
 * environment variable or a file, a client secret from an environment variable, a certificate from a PEM file,
 * a federated assertion from a file (read again each time a token is needed, as workload-identity systems
 * rotate it). Flag problems are UsageErrors (exit 2) naming the options; sign-in failures are CollectionErrors
 * (exit 3) from `sign-in.ts`. This module loads nothing heavy: msal is imported by `sign-in.ts` when used.
 */
import { access, readFile } from 'node:fs/promises';
import { CollectionError, InputError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { readCertificateFile } from './certificate.js';
import {
  createSignInSession,
  DEFAULT_AUTHORITY_HOST,
  normaliseAuthorityHost,
  type SignInMethod,
  type SignInOptions,
} from './sign-in.js';

/**
 * What `token --acquire` signs in with, as given. Unset fields fall back to the environment (AZURE_TENANT_ID,
 * AZURE_CLIENT_ID, AZURE_AUTHORITY_HOST). Secrets are named, never given: `refreshTokenEnv`/`clientSecretEnv`
 * name environment variables, `refreshTokenFile` a file.
 */
export interface TokenSignInRequest {
  tenantId?: string;
  clientId?: string;
  authority?: string;
  refreshTokenEnv?: string;
  refreshTokenFile?: string;
  clientSecretEnv?: string;
  /** What the token is for (see ACQUIRE_PROFILES); `audience` and `scope` override it. */
  profile?: string;
  audience?: string;
  scope?: string;
}

/**
 * What `tenant --tenant-id` signs in to Microsoft Graph with, as given. At most one method may be chosen
 * (`deviceCode`, `certificate`, `clientSecretEnv`, `federatedTokenFile`); with none, the environment chooses
 * (AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_SECRET).
 */
export interface GraphSignInRequest {
  tenantId?: string;
  /**
   * The origin of the Graph root (`https://graph.microsoft.us`): tokens are requested for it (`<origin>/.default`),
   * and its host picks the sign-in cloud. Without it, the public cloud.
   */
  graphOrigin?: string;
  clientId?: string;
  authority?: string;
  deviceCode?: boolean;
  /** PEM file with the certificate and its private key. */
  certificate?: string;
  clientSecretEnv?: string;
  federatedTokenFile?: string;
}

/** Knobs the CLI never sets; tests use them to trust a local identity provider in-process. */
export interface SignInOverrides {
  trustedCa?: string;
  timeoutMs?: number;
}

/** The resource (audience) each `token --profile` signs in to with `--acquire`, and its default scope. */
const ACQUIRE_PROFILES: Record<string, { resource: string; scope: string }> = {
  'partner-center': { resource: 'https://api.partnercenter.microsoft.com', scope: 'user_impersonation' },
  graph: { resource: 'https://graph.microsoft.com', scope: '.default' },
  arm: { resource: 'https://management.azure.com', scope: 'user_impersonation' },
  any: { resource: 'https://api.partnercenter.microsoft.com', scope: 'user_impersonation' },
};

/**
 * The scopes `token --acquire` requests. `--scope` is also the token command's expected-scope check (one or more,
 * separated by spaces or commas), so a bare name such as `user_impersonation` means that scope of the profile's
 * resource (or of `--audience`); a full scope (`https://…/x`, `api://…/x`, `<app-id>/x`) is used as given.
 */
export function acquireScopes(options: Pick<TokenSignInRequest, 'scope' | 'audience' | 'profile'>): string[] {
  const profile = ACQUIRE_PROFILES[options.profile ?? 'partner-center'] ?? ACQUIRE_PROFILES['partner-center']!;
  const resource = options.audience?.trim().replace(/\/+$/, '') || profile.resource;
  const given = (options.scope ?? '').split(/[\s,]+/).filter((s) => s !== '');
  const names = given.length > 0 ? given : [profile.scope];
  return names.map((name) => (name.includes('/') ? name : `${resource}/${name}`));
}

/** `token --acquire`: device code (prompt on stderr) or refresh-token exchange; returns the raw access token. */
export async function acquireAuditToken(
  options: TokenSignInRequest,
  io: Io,
  overrides: SignInOverrides = {},
): Promise<string> {
  const tenantId = options.tenantId?.trim() || io.env.AZURE_TENANT_ID?.trim();
  const clientId = options.clientId?.trim() || io.env.AZURE_CLIENT_ID?.trim();
  if (!tenantId) {
    throw new UsageError('--acquire needs --tenant-id <id|domain> (the tenant to sign in to; or AZURE_TENANT_ID)');
  }
  if (!clientId) {
    throw new UsageError(
      '--acquire needs --client-id <app-id> (the app registration to sign in with; or AZURE_CLIENT_ID)',
    );
  }
  if (options.refreshTokenEnv !== undefined && options.refreshTokenFile !== undefined) {
    throw new UsageError('use --refresh-token-env or --refresh-token-file, not both');
  }
  const clientSecret =
    options.clientSecretEnv !== undefined ? secretFromEnv(io, options.clientSecretEnv, 'the client secret') : undefined;

  let method: SignInMethod;
  const refreshToken = await refreshTokenFrom(options, io);
  if (refreshToken !== undefined) {
    method = { kind: 'refresh-token', refreshToken, ...(clientSecret !== undefined ? { clientSecret } : {}) };
  } else {
    if (clientSecret !== undefined) {
      throw new UsageError(
        '--client-secret-env goes with --refresh-token-env/--refresh-token-file (a confidential refresh-token exchange); the device code flow is for public clients',
      );
    }
    method = { kind: 'device-code', onPrompt: (message) => io.stderr.write(`${message}\n`) };
  }

  const session = createSignInSession({
    tenantId,
    clientId,
    scopes: acquireScopes(options),
    authorityHost: authorityHostOf(options.authority, io),
    method,
    ...overrides,
  });
  const token = await session.acquire();
  return token.accessToken;
}

/** Supplies Graph access tokens for `tenant --tenant-id` (device code, secret, certificate, federated assertion). */
export interface GraphTokenProvider {
  getAccessToken(): Promise<string>;
  /** How the run signed in, for the report and errors: "device code (delegated)", "client secret (app-only)"… */
  describe: string;
}

/** Microsoft Graph Command Line Tools: a Microsoft public client for delegated Graph sign-in (Connect-MgGraph). */
const GRAPH_COMMAND_LINE_TOOLS_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';

/**
 * Delegated Graph permissions a device-code run asks for (read-only; see docs/sign-in.md). The signed-in
 * account also needs a directory role that can read all of it, such as Global Reader.
 */
export const DELEGATED_GRAPH_PERMISSIONS = [
  'User.Read.All',
  'Policy.Read.All',
  'AuditLog.Read.All',
  'GroupMember.Read.All',
  'RoleManagement.Read.Directory',
  'Domain.Read.All',
  'Organization.Read.All',
] as const;

/** Graph roots of the national clouds and their sign-in authorities, so `--graph-url` alone is enough. */
const AUTHORITY_FOR_GRAPH_HOST: Record<string, string> = {
  'graph.microsoft.com': 'https://login.microsoftonline.com',
  'graph.microsoft.us': 'https://login.microsoftonline.us',
  'dod-graph.microsoft.us': 'https://login.microsoftonline.us',
  'microsoftgraph.chinacloudapi.cn': 'https://login.chinacloudapi.cn',
};

/** Renew a cached token this long before it expires (or at half its life, if that is shorter). */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

type GraphSignIn = 'device-code' | 'certificate' | 'client-secret' | 'federated';

const PUBLIC_GRAPH_ORIGIN = 'https://graph.microsoft.com';

export async function graphTokenProvider(
  options: GraphSignInRequest,
  io: Io,
  overrides: SignInOverrides = {},
): Promise<GraphTokenProvider> {
  const tenantId = options.tenantId?.trim();
  if (!tenantId) throw new UsageError('live collection needs --tenant-id <id|domain>');
  const graphOrigin = options.graphOrigin ?? PUBLIC_GRAPH_ORIGIN;
  const authorityHost = authorityHostOf(options.authority, io, new URL(graphOrigin).host);
  const chosen = chooseGraphSignIn(options, io);

  let clientId = options.clientId?.trim() || io.env.AZURE_CLIENT_ID?.trim();
  if (!clientId) {
    if (chosen !== 'device-code') {
      throw new UsageError(`app-only sign-in needs --client-id <app-id> (or AZURE_CLIENT_ID)`);
    }
    clientId = GRAPH_COMMAND_LINE_TOOLS_CLIENT_ID;
  }

  const { method, describe } = await graphSignInMethod(chosen, options, io, tenantId);
  const scopes =
    chosen === 'device-code'
      ? DELEGATED_GRAPH_PERMISSIONS.map((permission) => `${graphOrigin}/${permission}`)
      : [`${graphOrigin}/.default`];
  const session = createSignInSession({
    tenantId,
    clientId,
    scopes,
    authorityHost,
    method,
    ...overrides,
  } satisfies SignInOptions);
  let cached: { token: string; renewAt: number } | undefined;
  return {
    describe,
    async getAccessToken() {
      const now = io.now().getTime();
      if (cached && now < cached.renewAt) return cached.token;
      const acquired = await session.acquire();
      const expires = acquired.expiresOn?.getTime();
      const renewAt =
        expires === undefined ? now : expires - Math.min(RENEW_BEFORE_EXPIRY_MS, Math.max(0, (expires - now) / 2));
      cached = { token: acquired.accessToken, renewAt };
      return acquired.accessToken;
    },
  };
}

/** The chosen method with its credential read (a secret, a certificate checked for expiry, an assertion file). */
async function graphSignInMethod(
  chosen: GraphSignIn,
  options: GraphSignInRequest,
  io: Io,
  tenantId: string,
): Promise<{ method: SignInMethod; describe: string }> {
  switch (chosen) {
    case 'device-code':
      return {
        describe: 'device code (delegated)',
        method: {
          kind: 'device-code',
          onPrompt: (message) => {
            io.stderr.write(
              `mfa-audit: signing in to ${tenantId} with the device code flow (delegated, read-only).\n` +
                `  Graph permissions requested: ${DELEGATED_GRAPH_PERMISSIONS.join(', ')}\n` +
                `  The account also needs a directory role that can read them (e.g. Global Reader).\n` +
                `${message}\n`,
            );
          },
        },
      };
    case 'client-secret': {
      const name = options.clientSecretEnv ?? 'AZURE_CLIENT_SECRET';
      return {
        describe: 'client secret (app-only)',
        method: { kind: 'client-secret', clientSecret: secretFromEnv(io, name, 'the client secret') },
      };
    }
    case 'certificate': {
      const credential = await readCertificateFile(options.certificate!);
      if (credential.notAfter.getTime() < io.now().getTime()) {
        throw new InputError(
          `the certificate in '${options.certificate}' expired on ${credential.notAfter.toISOString()}; upload a new one to the app registration`,
        );
      }
      return {
        describe: 'certificate (app-only)',
        method: {
          kind: 'certificate',
          certificatePem: credential.certificatePem,
          privateKeyPem: credential.privateKeyPem,
          thumbprint: credential.thumbprintSha256,
        },
      };
    }
    case 'federated': {
      const path = options.federatedTokenFile ?? io.env.AZURE_FEDERATED_TOKEN_FILE!;
      try {
        await access(path);
      } catch (error) {
        throw new InputError(`cannot read the federated token file '${path}'`, { cause: error });
      }
      return {
        describe: 'federated credential (app-only)',
        method: { kind: 'client-assertion', getAssertion: () => readAssertion(path) },
      };
    }
  }
}

/**
 * One sign-in method, from explicit flags first, then the environment (AZURE_FEDERATED_TOKEN_FILE as workload
 * identity sets it, AZURE_CLIENT_SECRET). Two explicit methods, or two implicit ones, are ambiguous.
 */
function chooseGraphSignIn(options: GraphSignInRequest, io: Io): GraphSignIn {
  const explicit: GraphSignIn[] = [];
  if (options.deviceCode) explicit.push('device-code');
  if (options.certificate !== undefined) explicit.push('certificate');
  if (options.clientSecretEnv !== undefined) explicit.push('client-secret');
  if (options.federatedTokenFile !== undefined) explicit.push('federated');
  const flagOf: Record<GraphSignIn, string> = {
    'device-code': '--device-code',
    certificate: '--certificate',
    'client-secret': '--client-secret-env',
    federated: '--federated-token-file',
  };
  if (explicit.length > 1) {
    throw new UsageError(`choose one sign-in method, not ${explicit.map((m) => flagOf[m]).join(' and ')}`);
  }
  if (explicit.length === 1) return explicit[0]!;

  const implicit: GraphSignIn[] = [];
  if (io.env.AZURE_FEDERATED_TOKEN_FILE) implicit.push('federated');
  if (io.env.AZURE_CLIENT_SECRET) implicit.push('client-secret');
  if (implicit.length > 1) {
    throw new UsageError(
      'both AZURE_FEDERATED_TOKEN_FILE and AZURE_CLIENT_SECRET are set: choose with --federated-token-file or --client-secret-env',
    );
  }
  if (implicit.length === 1) return implicit[0]!;
  throw new UsageError(
    'no sign-in method: use --device-code (interactive), --client-secret-env NAME, --certificate PATH or ' +
      '--federated-token-file PATH (or set AZURE_CLIENT_SECRET, AZURE_FEDERATED_TOKEN_FILE or MFA_AUDIT_ACCESS_TOKEN)',
  );
}

async function readAssertion(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CollectionError(
      `cannot read the federated token file '${path}' (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: error },
    );
  }
  const assertion = text.trim();
  if (assertion === '') throw new CollectionError(`the federated token file '${path}' is empty`);
  return assertion;
}

async function refreshTokenFrom(options: TokenSignInRequest, io: Io): Promise<string | undefined> {
  if (options.refreshTokenEnv !== undefined) {
    return secretFromEnv(io, options.refreshTokenEnv, 'the refresh token');
  }
  if (options.refreshTokenFile !== undefined) {
    let text: string;
    try {
      text = await readFile(options.refreshTokenFile, 'utf8');
    } catch (error) {
      throw new InputError(
        `cannot read the refresh token file '${options.refreshTokenFile}' (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        { cause: error },
      );
    }
    const token = text.trim();
    if (token === '') throw new InputError(`the refresh token file '${options.refreshTokenFile}' is empty`);
    return token;
  }
  return undefined;
}

function secretFromEnv(io: Io, name: string, what: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new UsageError(
      `'${name}' is not an environment variable name (pass the NAME of the variable that holds ${what}, never the value)`,
    );
  }
  const value = io.env[name]?.trim();
  if (!value) throw new UsageError(`environment variable ${name} is not set or empty (it must hold ${what})`);
  return value;
}

/** --authority, else AZURE_AUTHORITY_HOST, else the authority of the Graph cloud, else the public cloud. */
export function authorityHostOf(flag: string | undefined, io: Io, graphHost?: string): string {
  const given = flag ?? io.env.AZURE_AUTHORITY_HOST;
  if (given) return normaliseAuthorityHost(given);
  return (graphHost && AUTHORITY_FOR_GRAPH_HOST[graphHost.toLowerCase()]) || DEFAULT_AUTHORITY_HOST;
}
