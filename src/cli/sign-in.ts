/**
 * The sign-in flags of both commands, as the auth layer's requests. The auth layer fills in what they leave out
 * from the environment and reads the secrets they name; the flags themselves stay here.
 */
import type { GraphSignInRequest, GraphTokenProvider, SignInOverrides, TokenSignInRequest } from '../auth/acquire.js';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { LiveCollectionRequest } from '../graph/live.js';
import type { Io } from '../io.js';
import type { TenantCommandOptions } from './tenant.js';
import type { TokenCommandOptions } from './token.js';

/** The flags of `token` that only say how `--acquire` signs in. */
const TOKEN_SIGN_IN_FLAGS = [
  'tenantId',
  'clientId',
  'refreshTokenEnv',
  'refreshTokenFile',
  'clientSecretEnv',
  'authority',
] as const satisfies readonly (keyof TokenCommandOptions)[];

/** The flags of `tenant` and `plan` that only say how a live audit reaches Graph. */
const GRAPH_SIGN_IN_FLAGS = [
  'graphUrl',
  'authority',
  'clientId',
  'certificate',
  'clientSecretEnv',
  'federatedTokenFile',
  'deviceCode',
] as const satisfies readonly (keyof TenantCommandOptions)[];

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * The sign-in flags given (on the command line: `--graph-url` has a default) when there is nothing to sign in to.
 * Ignoring them would hide a mistake (a live audit that was meant, a token meant to be acquired), so they are refused.
 */
function givenFlags(
  options: object,
  keys: readonly string[],
  command: Pick<Command, 'getOptionValueSource'> | undefined,
): string[] {
  const values = options as Record<string, unknown>;
  return keys
    .filter((key) => {
      if (values[key] === undefined) return false;
      const source = command?.getOptionValueSource(key);
      return command === undefined || (source !== undefined && source !== 'default');
    })
    .map(flagName);
}

/** `--a`, `--a and --b`, `--a, --b and --c`. */
function listed(flags: readonly string[]): string {
  return flags.length <= 1 ? (flags[0] ?? '') : `${flags.slice(0, -1).join(', ')} and ${flags.at(-1)}`;
}

/** `token` without `--acquire`: its sign-in flags would be ignored (exit 2). */
export function refuseSignInWithoutAcquire(options: TokenCommandOptions): void {
  if (options.acquire === true) return;
  const given = givenFlags(options, TOKEN_SIGN_IN_FLAGS, undefined);
  if (given.length === 0) return;
  const it = given.length === 1 ? 'it' : 'they';
  throw new UsageError(
    `token: ${listed(given)} only ${given.length === 1 ? 'works' : 'work'} with --acquire; without it nothing signs ` +
      `in and ${it} would be ignored: add --acquire, or leave ${given.length === 1 ? 'it' : 'them'} out`,
  );
}

/** `tenant`/`plan` with `--snapshot` or `--demo`: nothing signs in, so sign-in flags would be ignored (exit 2). */
export function refuseSignInOffline(
  command: 'tenant' | 'plan',
  options: TenantCommandOptions,
  offline: '--snapshot' | '--demo',
  parsed?: Pick<Command, 'getOptionValueSource'>,
): void {
  const given = givenFlags(options, GRAPH_SIGN_IN_FLAGS, parsed);
  if (given.length === 0) return;
  const what = offline === '--demo' ? 'the bundled demo tenant' : 'a saved snapshot';
  throw new UsageError(
    `${command}: ${listed(given)} ${given.length === 1 ? 'is' : 'are'} for live audits (--tenant-id); ` +
      `${offline} reads ${what} and signs in nowhere: leave ${given.length === 1 ? 'it' : 'them'} out`,
  );
}

/** What `token --acquire` signs in with. */
export function tokenSignInRequest(options: TokenCommandOptions): TokenSignInRequest {
  return {
    tenantId: options.tenantId,
    clientId: options.clientId,
    authority: options.authority,
    refreshTokenEnv: options.refreshTokenEnv,
    refreshTokenFile: options.refreshTokenFile,
    clientSecretEnv: options.clientSecretEnv,
    profile: options.profile,
    audience: options.audience,
    scope: options.scope,
  };
}

/** How `tenant --tenant-id` signs in to Graph (the tenant and the Graph origin travel with the live request). */
export function graphSignInRequest(options: TenantCommandOptions): LiveCollectionRequest['signIn'] {
  return {
    clientId: options.clientId,
    authority: options.authority,
    deviceCode: options.deviceCode,
    certificate: options.certificate,
    clientSecretEnv: options.clientSecretEnv,
    federatedTokenFile: options.federatedTokenFile,
  };
}

/** `token --acquire` from its flags: the access token to audit. */
export async function acquireTokenForAudit(
  options: TokenCommandOptions,
  io: Io,
  overrides: SignInOverrides = {},
): Promise<string> {
  const { acquireAuditToken } = await import('../auth/acquire.js');
  return acquireAuditToken(tokenSignInRequest(options), io, overrides);
}

/** Graph tokens for `tenant --tenant-id` from its flags (--graph-url names the cloud). */
export async function graphTokenProvider(
  options: TenantCommandOptions,
  io: Io,
  overrides: SignInOverrides = {},
): Promise<GraphTokenProvider> {
  const [{ graphTokenProvider: provider }, { parseGraphEndpoint, DEFAULT_GRAPH_URL }] = await Promise.all([
    import('../auth/acquire.js'),
    import('../graph/live.js'),
  ]);
  const request: GraphSignInRequest = {
    ...graphSignInRequest(options),
    tenantId: options.tenantId,
    graphOrigin: parseGraphEndpoint(options.graphUrl ?? DEFAULT_GRAPH_URL).origin,
  };
  return provider(request, io, overrides);
}
