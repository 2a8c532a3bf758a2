/**
 * The tenant engine's working state, shared by the audit, one account's evaluation and the findings. Types only:
 * this module imports no runtime module, so the modules that share these shapes do not depend on one another.
 */
import type { SignatureResult } from './ca.js';
import type { Classification } from './classify.js';
import type { ContextSpace } from './contexts.js';
import type { Directory } from './directory.js';
import type { Policy } from './policy.js';
import type { AccountResult, Gap } from './types.js';

export interface EngineState {
  dir: Directory;
  policies: Policy[];
  enabled: Policy[];
  space: ContextSpace;
  /** Per signature: the CA result, and what gap descriptions need (computed once per signature). */
  cache: Map<string, SignatureEntry>;
  /** Partner agent groups present in the snapshot: group id → name. */
  agentGroups: Map<string, string>;
  signatureOf: (userId: string, cls: Classification) => string;
}

/** What one signature's accounts share: computed for the first of them, reused for the rest. */
export interface SignatureEntry {
  result: SignatureResult;
  /** The same evaluation over legacy-client sign-ins only (for per-user MFA `enabled`), computed when first asked. */
  legacy?: SignatureResult;
  excluding: Policy[];
  satisfiable: Policy[];
  /** Gap lists by the exclusion cases of `excluding` (see exclusionCase). */
  gaps: Map<string, Gap[]>;
  /** The reason of a passing signature (one string for all its accounts). */
  passReason?: string;
  /** The reason of a failing one, per gap list. */
  failReasons?: Map<Gap[], string>;
}

export interface AccountEvaluation {
  result: AccountResult;
  cls: Classification;
  /** The verdict before per-user MFA state is looked at (for usersNeedingPerUserMfaState). */
  needsPerUserState: boolean;
  /** The Conditional Access verdict (undefined when CA did not decide, e.g. security defaults). */
  caVerdict?: 'pass' | 'fail' | 'unknown';
  /** The account's signature, when Conditional Access was evaluated. */
  signature?: string;
}

/** Compiled once per audit from its options: how accounts are classified. */
export interface ClassifyHelpers {
  servicePatterns: RegExp[];
  breakGlass: Set<string>;
  serviceUpns: Set<string>;
}
