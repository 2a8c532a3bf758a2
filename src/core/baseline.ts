/**
 * Baselines: accepted, expiring exceptions to the gate. Pure functions over plain data.
 *
 * The partner requirements themselves allow no exceptions, so a baseline never changes a verdict: a failing
 * account stays `fail` and every report shows it, marked `accepted` with who accepted it, why, and until when.
 * Only the gate (src/core/gate.ts) looks past an accepted result, and only until the entry expires.
 */
import type { Acceptance, Baseline, BaselineEntry, BaselineSummary } from './baseline-types.js';
import type { AccountResult, TenantReport } from './tenant/types.js';
import type { TokenReport, TokenResult } from './token/types.js';

export type { Acceptance, Baseline, BaselineEntry, BaselineSummary } from './baseline-types.js';

export const BASELINE_FORMAT: Baseline['format'] = 'mfa-audit-baseline/1';

/** How long a written baseline's placeholder entries stay valid. */
const DEFAULT_BASELINE_DAYS = 30;

export interface ApplyBaselineOptions {
  now: Date;
  strict?: boolean;
  path?: string;
}

/** The instant an entry stops accepting: the end of the UTC day for a date, the instant itself otherwise. */
export function expiryInstant(expires: string): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(expires);
  const start = new Date(dateOnly ? `${expires}T00:00:00Z` : expires);
  return dateOnly ? new Date(start.getTime() + 24 * 60 * 60 * 1000) : start;
}

export function isExpired(entry: Pick<BaselineEntry, 'expires'>, now: Date): boolean {
  const end = expiryInstant(entry.expires).getTime();
  return Number.isNaN(end) || now.getTime() >= end;
}

/** The names a token answers to in a baseline, most specific first (never the token itself). */
export function tokenSubjects(result: Pick<TokenResult, 'claims'>): string[] {
  const claims = result.claims ?? {};
  const names = ['upn', 'unique_name', 'preferred_username', 'oid', 'sub', 'appid', 'azp']
    .map((claim) => claims[claim])
    .filter((value): value is string => typeof value === 'string' && value.trim() !== '');
  return [...new Set(names)];
}

/** The one subject a written baseline uses for a token: the user for App+User tokens, the app for App-only. */
export function primaryTokenSubject(result: Pick<TokenResult, 'claims' | 'kind' | 'index'>): string {
  const c = result.claims ?? {};
  const pick = (...claims: string[]) =>
    claims.map((claim) => c[claim]).find((v): v is string => typeof v === 'string' && v.trim() !== '');
  const subject =
    result.kind === 'app-only'
      ? pick('appid', 'azp', 'oid', 'sub')
      : pick('upn', 'unique_name', 'preferred_username', 'oid', 'sub', 'appid', 'azp');
  return subject ?? `token-${result.index}`;
}

const needsAcceptance = (verdict: string) => verdict === 'fail' || verdict === 'unknown';

function toAcceptance(entry: BaselineEntry): Acceptance {
  return { reason: entry.reason, owner: entry.owner, expires: entry.expires };
}

/**
 * Matches every non-passing item against the entries. An item is accepted by its first current entry; an item
 * matched only by expired entries carries `expiredAcceptance` and fails the gate again.
 */
function applyEntries<T extends { verdict: string }>(
  items: T[],
  entries: BaselineEntry[],
  keysOf: (item: T) => string[],
  keyOf: (entry: BaselineEntry) => string | undefined,
  options: ApplyBaselineOptions,
): { items: (T & { accepted?: Acceptance; expiredAcceptance?: Acceptance })[]; summary: BaselineSummary } {
  const byKey = new Map<string, BaselineEntry[]>();
  for (const entry of entries) {
    const key = keyOf(entry)?.trim().toLowerCase();
    if (!key) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), entry]);
  }
  const used = new Set<BaselineEntry>();
  const expired = new Set<BaselineEntry>();
  let accepted = 0;
  const out = items.map((item) => {
    // Never carry an acceptance from an earlier application: the baseline is the only source of truth.
    const {
      accepted: _a,
      expiredAcceptance: _e,
      ...rest
    } = item as T & {
      accepted?: Acceptance;
      expiredAcceptance?: Acceptance;
    };
    const fresh = rest as T & { accepted?: Acceptance; expiredAcceptance?: Acceptance };
    if (!needsAcceptance(item.verdict)) return fresh;
    const matches = [...new Set(keysOf(item).flatMap((key) => byKey.get(key.trim().toLowerCase()) ?? []))];
    if (matches.length === 0) return fresh;
    matches.forEach((entry) => used.add(entry));
    const current = matches.find((entry) => !isExpired(entry, options.now));
    if (current && !options.strict) {
      accepted += 1;
      return { ...fresh, accepted: toAcceptance(current) };
    }
    const lapsed = matches.find((entry) => isExpired(entry, options.now));
    if (lapsed) {
      expired.add(lapsed);
      return { ...fresh, expiredAcceptance: toAcceptance(lapsed) };
    }
    return fresh;
  });
  const summary: BaselineSummary = {
    ...(options.path !== undefined ? { path: options.path } : {}),
    strict: options.strict === true,
    accepted,
    expired: entries.filter((entry) => expired.has(entry)),
    unused: entries.filter((entry) => keyOf(entry) !== undefined && !used.has(entry)),
  };
  return { items: out, summary };
}

/** Applies a baseline's `subject` entries to a token report; returns a new report (the input is not changed). */
export function applyTokenBaseline(
  report: TokenReport,
  baseline: Baseline,
  options: ApplyBaselineOptions,
): TokenReport {
  const { items, summary } = applyEntries(
    report.results,
    baseline.entries,
    tokenSubjects,
    (entry) => entry.subject,
    options,
  );
  return { ...report, results: items, baseline: summary };
}

/** Applies a baseline's `account` entries to a tenant report; returns a new report (the input is not changed). */
export function applyTenantBaseline(
  report: TenantReport,
  baseline: Baseline,
  options: ApplyBaselineOptions,
): TenantReport {
  const { items, summary } = applyEntries(
    report.accounts,
    baseline.entries,
    (account: AccountResult) => [account.userPrincipalName, account.id].filter((key) => typeof key === 'string'),
    (entry) => entry.account,
    options,
  );
  return { ...report, accounts: items, summary: { ...report.summary, accepted: summary.accepted }, baseline: summary };
}

function plusDays(now: Date, days: number): string {
  return new Date(now.getTime() + days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

const PLACEHOLDER_REASON = 'TODO: why this exception is acceptable, and how it will be fixed';
const PLACEHOLDER_OWNER = 'TODO: who answers for it';

/**
 * Whether an entry still carries a placeholder that --write-baseline left for a person to fill in: a reason or owner
 * that starts with the word `TODO`. Such an entry accepts nothing: nobody has said why, or who answers for it.
 */
export function hasPlaceholder(entry: Pick<BaselineEntry, 'reason' | 'owner'>): boolean {
  return [entry.reason, entry.owner].some((text) => /^TODO\b/.test(text.trim()));
}

/**
 * A baseline that accepts every failing or unknown result of this run: entries already accepted keep their
 * reason, owner and expiry; new ones get placeholders and expire `days` from now, so nothing is accepted forever.
 */
export function baselineFromTokenReport(
  report: TokenReport,
  now: Date,
  days: number = DEFAULT_BASELINE_DAYS,
): Baseline {
  const seen = new Set<string>();
  const entries: BaselineEntry[] = [];
  for (const result of report.results) {
    if (!needsAcceptance(result.verdict)) continue;
    const subject = primaryTokenSubject(result);
    if (seen.has(subject.toLowerCase())) continue;
    seen.add(subject.toLowerCase());
    entries.push({ subject, ...carried(result.accepted, now, days) });
  }
  return { format: BASELINE_FORMAT, entries };
}

export function baselineFromTenantReport(
  report: TenantReport,
  now: Date,
  days: number = DEFAULT_BASELINE_DAYS,
): Baseline {
  const entries: BaselineEntry[] = report.accounts
    .filter((account) => needsAcceptance(account.verdict))
    .map((account) => ({
      account: account.userPrincipalName || account.id,
      ...carried(account.accepted, now, days),
    }));
  return { format: BASELINE_FORMAT, entries };
}

function carried(accepted: Acceptance | undefined, now: Date, days: number): Acceptance {
  return accepted ?? { reason: PLACEHOLDER_REASON, owner: PLACEHOLDER_OWNER, expires: plusDays(now, days) };
}

/** "a, b, c and 4 more": at most `max` items named, so a long list stays one readable line. */
export function someOf(items: readonly string[], max = 3, separator = ', '): string {
  const shown = items.slice(0, max).join(separator);
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** One line naming a baseline entry, for notes and reports. */
export function describeEntry(entry: BaselineEntry): string {
  const who = entry.account !== undefined ? `account ${entry.account}` : `subject ${entry.subject ?? '?'}`;
  return `${who} (owner ${entry.owner}, expires ${entry.expires})`;
}
