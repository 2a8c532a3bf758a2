/** How the CI formats (SARIF, JUnit, CSV) name and describe one token or account result, in the same words. */
import type { Acceptance } from '../core/baseline.js';
import { primaryTokenSubject } from '../core/baseline.js';
import type { AccountResult } from '../core/tenant/types.js';
import type { CheckId, TokenCheck, TokenResult } from '../core/token/types.js';

/** The order in which a token's checks matter most: the one Partner Center enforces first. */
export const CHECK_ORDER: readonly CheckId[] = ['mfa', 'app-user', 'signature', 'lifetime', 'audience', 'scope'];

function checkRank(id: string): number {
  const index = CHECK_ORDER.indexOf(id as CheckId);
  return index === -1 ? CHECK_ORDER.length : index;
}

/** The checks that decide a token's verdict: its failing checks for `fail`, its unknown ones for `unknown`. */
export function decidingChecks(result: TokenResult): TokenCheck[] {
  const status = result.verdict === 'fail' ? 'fail' : result.verdict === 'unknown' ? 'unknown' : undefined;
  if (!status) return [];
  return (result.checks ?? [])
    .filter((check) => check.status === status)
    .sort((a, b) => checkRank(a.id) - checkRank(b.id));
}

/** Who a token speaks for, for people: the user, or the app for App-only tokens (never the token itself). */
export function tokenSubject(result: TokenResult): string {
  return primaryTokenSubject(result);
}

export function tokenLabel(result: TokenResult): string {
  return `token ${result.index + 1}${result.source ? ` (${result.source})` : ''}: ${tokenSubject(result)}`;
}

export function claimText(result: TokenResult, claim: string): string {
  const value = result.claims?.[claim];
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join(' ');
  // Objects are JSON; what is left is a string, number or boolean.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The gaps of an account as one text: each sign-in that gets through, with the policies involved. */
export function gapLines(account: AccountResult): string[] {
  return (account.gaps ?? []).map(
    (gap) => `${gap.description}${gap.policyIds?.length ? ` [policies: ${gap.policyIds.join(', ')}]` : ''}`,
  );
}

export function acceptanceText(accepted: Acceptance): string {
  return `accepted by baseline until ${accepted.expires} (owner: ${accepted.owner}): ${accepted.reason}`;
}

/** "accepted until 2026-12-31 by owner: reason" (or that an expired entry fails again), for the human reports. */
export function acceptanceNote(item: { accepted?: Acceptance; expiredAcceptance?: Acceptance }): string {
  if (item.accepted) {
    const a = item.accepted;
    return `accepted until ${a.expires} by ${a.owner}: ${a.reason}`;
  }
  if (item.expiredAcceptance) return `baseline entry expired ${item.expiredAcceptance.expires}: fails again`;
  return '';
}

export function expiredText(expired: Acceptance): string {
  return `baseline entry expired on ${expired.expires} (owner: ${expired.owner}; was: ${expired.reason})`;
}

export function accountName(account: AccountResult): string {
  return account.userPrincipalName || account.id;
}
