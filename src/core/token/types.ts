/** Shapes of the token audit (contract: "JSON report: token"). Fixed fields first; extras may grow. */

export type CheckId = 'mfa' | 'app-user' | 'audience' | 'scope' | 'lifetime' | 'signature';
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'unknown';
export type TokenVerdict = 'pass' | 'fail' | 'unknown';
export type TokenKind = 'app+user' | 'app-only';
export type Profile = 'partner-center' | 'graph' | 'arm' | 'any';

export interface TokenCheck {
  id: CheckId;
  status: CheckStatus;
  message: string;
}

/** One explained claim, jwt.ms-style but for this purpose. */
export interface ClaimExplanation {
  claim: string;
  value: unknown;
  meaning: string;
}

export interface TokenResult {
  /** Position of the token in the input, from 0. */
  index: number;
  verdict: TokenVerdict;
  kind: TokenKind;
  checks: TokenCheck[];
  /** The decoded payload; the signature is never included. */
  claims: Record<string, unknown>;
  /** The decoded JOSE header (alg, kid, typ, nonce presence…). */
  header?: Record<string, unknown>;
  explanation?: ClaimExplanation[];
  /** What Partner Center would answer: e.g. "200" or "401 MFA required". */
  partnerCenter?: string;
  warnings?: string[];
}

export interface TokenReport {
  generatedAt?: string;
  profile?: Profile;
  results: TokenResult[];
}
