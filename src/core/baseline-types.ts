/** The shapes of a baseline and of what applying it adds to reports. Types only: this module imports nothing. */

/** One accepted exception. Exactly one of `account` (tenant) or `subject` (token) names what it accepts. */
export interface BaselineEntry {
  /** `tenant`: the account's userPrincipalName or object id (case-insensitive). */
  account?: string;
  /** `token`: the token's subject: upn / unique_name / preferred_username, oid, sub, or the appid / azp. */
  subject?: string;
  reason: string;
  owner: string;
  /** `YYYY-MM-DD` (valid through that whole UTC day) or an ISO-8601 instant (valid until it). */
  expires: string;
}

export interface Baseline {
  /** The file format's name and version (BASELINE_FORMAT). */
  format: 'mfa-audit-baseline/1';
  entries: BaselineEntry[];
}

/** What an accepted (or expired) result carries, so every report can show the exception. */
export interface Acceptance {
  reason: string;
  owner: string;
  expires: string;
}

/** Report-level outcome of applying a baseline. */
export interface BaselineSummary {
  /** The baseline file, as given. */
  path?: string;
  /** --strict: the baseline was read but ignored; nothing is accepted. */
  strict: boolean;
  /** Results accepted by a current entry (they do not fail the gate). */
  accepted: number;
  /** Entries past their expiry that still match a failing result: those results fail the gate again. */
  expired: BaselineEntry[];
  /** Entries that match no failing or unknown result: delete them, so the baseline shrinks. */
  unused: BaselineEntry[];
}
