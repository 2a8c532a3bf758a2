/**
 * Turns each command's sign-in flags and environment into an access token, through `sign-in.ts`.
 * STUB: the signatures are the contract between modules; the implementation is being written.
 */
import type { Io } from '../cli/io.js';
import type { TenantCommandOptions } from '../cli/tenant.js';
import type { TokenCommandOptions } from '../cli/token.js';
import { CollectionError } from '../errors.js';

/** `token --acquire`: device code (prompt on stderr) or refresh-token exchange; returns the raw access token. */
export async function acquireTokenForAudit(_options: TokenCommandOptions, _io: Io): Promise<string> {
  throw new CollectionError('token --acquire: not implemented yet');
}

/** Supplies Graph access tokens for `tenant --tenant-id` (device code, secret, certificate, federated assertion). */
export interface GraphTokenProvider {
  getAccessToken(): Promise<string>;
  /** How the run signed in, for the report and errors: "device code (delegated)", "client secret (app-only)"… */
  describe: string;
}

export async function graphTokenProvider(_options: TenantCommandOptions, _io: Io): Promise<GraphTokenProvider> {
  throw new CollectionError('sign-in: not implemented yet');
}
