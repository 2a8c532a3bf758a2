/** Shapes of the tenant audit's JSON report. Fixed fields first: they keep their names and meaning; extras may grow. */
import type { Acceptance, BaselineSummary } from '../baseline-types.js';

export type AccountKind = 'member' | 'guest' | 'service' | 'sync' | 'emergency';
export type AccountVerdict = 'pass' | 'fail' | 'exempt' | 'unknown';
export type Mechanism = 'security-defaults' | 'conditional-access' | 'per-user-mfa' | 'federated-idp';
export type Severity = 'high' | 'medium' | 'low' | 'info';

export interface Gap {
  /** The sign-in context in words, and why it gets through. */
  description: string;
  policyIds: string[];
  /** An extra beyond the fixed fields. One concrete sign-in of the gap's context, as structured data. */
  example?: SignInExample;
  /** True when the gap exists only under an assumption mfa-audit cannot check (the account is then `unknown`). */
  possible?: boolean;
  /** The policies among `policyIds` whose exclusions (of the account, or of an app, location, platform…) open the gap. */
  excludedBy?: string[];
  /** When more policies are involved than `policyIds` lists (it lists the first 10, exclusions first): how many. */
  policiesInvolved?: number;
  /** What Entra's Conditional Access What If said of `example` (only when What If answers were collected). */
  confirmation?: GapConfirmation;
}

/**
 * Entra's What If on a gap's example sign-in: `confirmed` (no enabled policy that demands MFA or blocks applies),
 * `disputed` (Entra says one does: the account is then `unknown`), `inconclusive` (Entra could not tell, answered
 * with an error, or was not asked), `not-checkable` (the example cannot be put to What If, e.g. the MFA service's
 * trusted IPs or an unrecognised platform).
 */
export interface GapConfirmation {
  status: 'confirmed' | 'disputed' | 'inconclusive' | 'not-checkable';
  /** Why, in words (what Entra said, or why it could not be asked). */
  reason: string;
  entra?: WhatIfAnswer;
}

/** Entra's answer, reduced: the enabled policies it says apply, and those among them that demand MFA or block. */
export interface WhatIfAnswer {
  /** The canonical JSON of the request (how the answer is found again in the snapshot). */
  key: string;
  applies: string[];
  stoppers: string[];
  /** Enabled policies Entra could not evaluate (notEnoughInformation, invalidCondition). */
  undetermined: string[];
}

/** Sign-in evidence of one account over the collected window (evaluation.md §9): evidence, never proof of a pass. */
export interface SignInEvidence {
  window: { from: string; to: string };
  singleFactor: {
    count: number;
    last?: { time: string; app: string; client: string; ip: string; location: string };
  };
  mfa: { count: number; byFederatedClaim?: number };
}

export type ClientAppType = 'browser' | 'mobileAppsAndDesktopClients' | 'exchangeActiveSync' | 'other';
export type DevicePlatform = 'android' | 'iOS' | 'windows' | 'windowsPhone' | 'macOS' | 'linux' | 'unknown';
export type RiskLevel = 'none' | 'low' | 'medium' | 'high';
export type InsiderRiskLevel = 'none' | 'minor' | 'moderate' | 'elevated';
export type AuthenticationFlow = 'none' | 'deviceCodeFlow' | 'authenticationTransfer';

/** One concrete sign-in, as Conditional Access sees it (used to state and reproduce gaps). */
export interface SignInExample {
  /** The resource: a named app id (null = an app no policy names), and the app groups it belongs to. */
  application: { appId: string | null; office365: boolean; adminPortal: boolean };
  clientAppType: ClientAppType;
  /** For Exchange ActiveSync: whether the device platform is one that EAS policies support (`easSupported`). */
  easSupportedPlatform?: boolean;
  platform: DevicePlatform;
  /** Ids of the named locations the sign-in's IP (or GPS country) lies in; [] = none of them. */
  locations: string[];
  /** Whether the sign-in comes from a trusted location (a trusted named location or the MFA service's trusted IPs). */
  trustedLocation: boolean;
  signInRisk: RiskLevel;
  userRisk: RiskLevel;
  insiderRisk: InsiderRiskLevel;
  /** Device filter rules (as written in policies) that the device matches. */
  deviceFilterMatches: string[];
  /** Application filter rules (as written in policies) that the app matches. */
  applicationFilterMatches: string[];
  device: { compliant: boolean; domainJoined: boolean };
  authenticationFlow: AuthenticationFlow;
}

export interface Finding {
  id: string;
  severity: Severity;
  message: string;
  /** Accounts or policies the finding is about, when it is about some. */
  accountIds?: string[];
  policyIds?: string[];
}

export interface AccountResult {
  id: string;
  userPrincipalName: string;
  displayName: string;
  kind: AccountKind;
  verdict: AccountVerdict;
  mechanisms: Mechanism[];
  reasons: string[];
  gaps: Gap[];
  /** Extras beyond the fixed fields (they may grow). */
  accountEnabled?: boolean;
  userType?: string;
  /** Directory role names held (directly or through role-assignable groups). */
  roles?: string[];
  /** Partner agent groups (AdminAgents, HelpdeskAgents, SalesAgents) the account belongs to. */
  agentGroups?: string[];
  /** How the kind was decided when a heuristic was used (e.g. "name matches /^svc[-_]/"). */
  kindReason?: string;
  /** What the account loses under Partner Center rules (evaluation.md §6), for fail and federated accounts. */
  partnerCenterImpact?: string;
  warnings?: string[];
  /** Accepted by a current --baseline entry: still failing, but not failing the gate (src/core/baseline.ts). */
  accepted?: Acceptance;
  /** Matched only by expired baseline entries: it fails the gate again. */
  expiredAcceptance?: Acceptance;
  /** Successful sign-ins of the account in the collected window (only when sign-ins were collected). */
  evidence?: SignInEvidence;
  /** The verdict the policies alone gave, when evidence (What If, sign-ins) changed it; the reasons say why. */
  engineVerdict?: AccountVerdict;
}

export interface TenantSummary {
  accounts: number;
  pass: number;
  fail: number;
  exempt: number;
  unknown: number;
  /** Failing or unknown accounts accepted by the baseline (counted in fail/unknown too). */
  accepted?: number;
}

export interface TenantReport {
  tenantId: string;
  /** Set when --baseline was given: accepted, expired and unused entries. */
  baseline?: BaselineSummary;
  generatedAt: string;
  summary: TenantSummary;
  findings: Finding[];
  accounts: AccountResult[];
  /** Where the data came from: "snapshot", "demo" or "graph", and when it was collected. */
  source?: { kind: 'snapshot' | 'demo' | 'graph'; collectedAt?: string; path?: string };
  /** Conditional Access What If, when its answers were collected (evaluation.md §9). */
  whatIf?: WhatIfSummary;
  /** Sign-in evidence, when sign-ins were collected: the window and whether collection stopped early. */
  signIns?: { window: { from: string; to: string }; truncated: boolean };
  /** The few changes that close the most gaps, best first ("Fix these first"); absent when no change was found. */
  fixes?: Fix[];
}

/**
 * One change to the tenant's Conditional Access that closes gaps, proven by re-running the engine on the snapshot
 * with the change applied (src/core/tenant/fixes.ts). It claims only the gaps the changed policies surely close.
 */
export interface Fix {
  /** Stable: `remove-exclusion:<policyId>:<userGroupRoleOrLocationId>`, `enable-report-only:<policyId>`, `block-legacy-authentication`. */
  id: string;
  kind: 'remove-exclusion' | 'enable-report-only' | 'block-legacy-authentication';
  /** The change in words, naming the policy by its display name. */
  title: string;
  /** The policies the change edits (none for a new policy). */
  policyIds: string[];
  /** The accounts it fixes (at least one of their gaps closes): privileged first (roles or agent groups), then the account order. */
  accountIds: string[];
  /** How many gaps (account by account) it closes. */
  gapsClosed: number;
  /** How many of `accountIds` are privileged (hold a directory role or belong to a partner agent group). */
  privileged: number;
}

/** Counts of the What If requests planned for this report, by outcome (gaps and pass spot-checks apart). */
export interface WhatIfSummary {
  requests: number;
  answered: number;
  confirmed: number;
  disputed: number;
  inconclusive: number;
  /** Gaps whose example cannot be put to What If. */
  notCheckable: number;
  spotChecks: { requests: number; confirmed: number; disputed: number; inconclusive: number };
}
