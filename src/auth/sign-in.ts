/**
 * The auth layer shared by `token --acquire` and `tenant --tenant-id` (@azure/msal-node).
 * STUB: the signatures are the contract between modules; the implementation is being written.
 */
import { CollectionError } from '../errors.js';

export type SignInMethod =
  | { kind: 'device-code'; onPrompt: (message: string) => void }
  | { kind: 'refresh-token'; refreshToken: string }
  | { kind: 'client-secret'; clientSecret: string }
  | { kind: 'certificate'; certificatePem: string; privateKeyPem: string; thumbprint?: string }
  | { kind: 'client-assertion'; getAssertion: () => Promise<string> };

export interface SignInOptions {
  tenantId: string;
  clientId: string;
  scopes: string[];
  /** Authority host, e.g. https://login.microsoftonline.com (national clouds and test IdPs differ). */
  authorityHost?: string;
  method: SignInMethod;
}

export interface AcquiredToken {
  accessToken: string;
  expiresOn?: Date;
  /** The signed-in account's UPN, when delegated. */
  account?: string;
}

export async function acquireToken(_options: SignInOptions): Promise<AcquiredToken> {
  throw new CollectionError('sign-in: not implemented yet');
}
