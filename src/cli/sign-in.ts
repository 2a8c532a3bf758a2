/**
 * The sign-in flags of both commands, as the auth layer's requests. The auth layer fills in what they leave out
 * from the environment and reads the secrets they name; the flags themselves stay here.
 */
import type { GraphSignInRequest, GraphTokenProvider, SignInOverrides, TokenSignInRequest } from '../auth/acquire.js';
import type { LiveCollectionRequest } from '../graph/live.js';
import type { Io } from '../io.js';
import type { TenantCommandOptions } from './tenant.js';
import type { TokenCommandOptions } from './token.js';

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
