/**
 * Shapes of `mfa-audit plan` and `mfa-audit diff`: a proposed change to a tenant's Conditional Access objects, and
 * what changes between two states of a tenant (schemas/change-report.schema.json describes the JSON).
 */
import type { AccountKind, AccountVerdict, Gap, SignInExample, TenantReport } from '../tenant/types.js';

/** The Conditional Access objects a change may touch, each kept in its own snapshot key. */
export type ObjectKind = 'policy' | 'namedLocation' | 'authenticationStrength';

/** Where a proposed object was read from: the file, and the JSON line of each of its fields (`conditions.users`). */
export interface ObjectSource {
  file: string;
  /** The object's own line (its opening brace). */
  line: number;
  /** Field path inside the object (`conditions.users.excludeGroups`, `grantControls.builtInControls[0]`) → line. */
  lines: Record<string, number>;
}

export interface ProposedObject {
  kind: ObjectKind;
  /** Graph JSON of the object, with an `id` (one is assigned to an object proposed without). */
  value: Record<string, unknown>;
  source?: ObjectSource;
}

/** What `--policies PATH…` and `--remove ID` propose. */
export interface ChangeSet {
  objects: ProposedObject[];
  remove: string[];
}

/** One field of an object that differs between the two states (JSON values, undefined = absent). */
export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface ObjectChange {
  kind: ObjectKind;
  id: string;
  /** The display name (the new one when it changed). */
  name: string;
  change: 'added' | 'removed' | 'changed';
  /** For `changed`: every field that differs; for added/removed: empty. */
  fields: FieldChange[];
  /** The proposed file and line of the object (plan only). */
  source?: { file: string; line: number };
  /** The line of each changed field in the proposed file (plan only; SARIF points at them). */
  fieldLines?: Record<string, number>;
  /** Fields of a proposed policy that mfa-audit does not model: the engine reads them fail-closed. */
  unmodelled?: string[];
}

export interface AccountRef {
  id: string;
  userPrincipalName: string;
  displayName: string;
  kind: AccountKind;
}

export interface VerdictChange extends AccountRef {
  from: AccountVerdict;
  to: AccountVerdict;
  /** Why the account has its new verdict (the new report's reasons). */
  reasons: string[];
  /** The gaps of the new state, when it fails or is unknown. */
  gaps: Gap[];
}

/** A gap (a class of sign-in that gets through without MFA) that opened or closed, with the accounts it concerns. */
export interface GapChange {
  description: string;
  policyIds: string[];
  excludedBy?: string[];
  example?: SignInExample;
  /** True when the gap exists only under an assumption mfa-audit cannot check. */
  possible?: boolean;
  /** Set on a gap opened when mfa-audit cannot tell whether its sign-in was covered before: why it counts anyway. */
  undecided?: string;
  accounts: AccountRef[];
}

export interface FindingRef {
  id: string;
  severity: string;
  message: string;
  policyIds?: string[];
}

export interface ChangeSummary {
  /** The change opens a gap, turns an account from pass to fail or unknown, or adds an account that does not pass. */
  regression: boolean;
  verdictChanges: number;
  /** Accounts that went from pass to fail or unknown. */
  regressions: number;
  /** Accounts that went from fail or unknown to pass or exempt. */
  improvements: number;
  gapsOpened: number;
  gapsClosed: number;
  findingsAdded: number;
  findingsRemoved: number;
  objectChanges: number;
  accountsAdded: number;
  accountsRemoved: number;
}

export interface ChangeReport {
  /** `plan`: a proposed change against a baseline; `diff`: two states. */
  command: 'plan' | 'diff';
  tenantId: string;
  generatedAt: string;
  /** What the two sides are (files, `demo`, `live`). */
  before: { label: string; kind: 'snapshot' | 'report' };
  after: { label: string; kind: 'snapshot' | 'report' | 'proposed' };
  summary: ChangeSummary;
  /** Accounts whose verdict changed: pass → fail first, then pass → unknown, then the rest. */
  verdictChanges: VerdictChange[];
  gapsOpened: GapChange[];
  gapsClosed: GapChange[];
  findingsAdded: FindingRef[];
  findingsRemoved: FindingRef[];
  /** Policies, named locations and authentication strengths added, removed or changed field by field. */
  objectChanges: ObjectChange[];
  /** Why object changes are not listed (diff of reports: only snapshots hold the policies). */
  objectChangesNote?: string;
  /** Accounts only in the new state that do not pass (new accounts without coverage). */
  accountsAdded: VerdictChange[];
  accountsRemoved: AccountRef[];
  /** Notes on how the comparison was made (evidence left out, …). */
  notes: string[];
}

/** What `plan` reports: the change, and the whole report of the proposed state. */
export interface PlanResult {
  change: ChangeReport;
  proposed?: TenantReport;
}
