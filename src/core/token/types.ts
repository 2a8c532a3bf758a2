/** Shapes of the token audit's JSON report. Fixed fields first: they keep their names and meaning; extras may grow. */
import type { Acceptance, BaselineSummary } from '../baseline-types.js';

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
  /** Accepted by a current --baseline entry: still failing, but not failing the gate (src/core/baseline.ts). */
  accepted?: Acceptance;
  /** Matched only by expired baseline entries: it fails the gate again. */
  expiredAcceptance?: Acceptance;
  /** Where the token came from ("argument 1", "stdin line 2", …); never the token itself. */
  source?: string;
  /** Whether the signature was checked and held; false means "decoded only". */
  verified?: boolean;
}

export interface TokenReport {
  generatedAt?: string;
  /** Set when --baseline was given: accepted, expired and unused entries. */
  baseline?: BaselineSummary;
  profile?: Profile;
  results: TokenResult[];
  /** Whether --verify was asked for (signatures checked), so no report presents "decoded" as "verified". */
  verify?: boolean;
  /** The instant time claims were evaluated at (--now, or the clock). */
  evaluatedAt?: string;
}

// ---- Additions for the token auditor (additive only) ----

/** A token the input layer decoded: plain JSON data, no raw text (the core never sees the signature). */
export interface DecodedToken {
  /** Where it came from, for people: "argument 1", "stdin line 2", "tokens.txt line 7", "--acquire". */
  source?: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** True when the compact token's signature part is empty: an unsigned token, whatever its header says. */
  unsigned?: boolean;
}

/** The verification outcome the adapter (src/auth/verify.ts) computed for one token, handed to the core as data. */
export interface SignatureOutcome {
  status: 'pass' | 'fail' | 'unknown' | 'skip';
  message: string;
}

/** What a run checks against; the clock is injected (`now`), so the core never reads the time itself. */
export interface TokenAuditOptions {
  profile: Profile;
  /** Overrides the profile's audiences. */
  audience?: string;
  /** Overrides the profile's scope (space-separated: all are required). */
  scope?: string;
  requireAppUser?: boolean;
  now: Date;
  /** Allowed clock skew for nbf/exp, in seconds (default 300). */
  clockSkewSeconds?: number;
  /** Add the claim-by-claim explanation to each result (default true; large batches leave it out). */
  explain?: boolean;
}
