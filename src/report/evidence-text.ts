/**
 * What every format says of Entra's evidence (evaluation.md §9), in the same words: a gap's What If confirmation, an
 * account's sign-ins, the verdict the policies alone gave, and the report's What If counts and sign-in window. Every
 * function returns '' (or nothing) when its field is absent, so a report without evidence reads as before.
 *
 * Sign-in apps, clients and locations come from the logs: untrusted text, shown here as one line with every control
 * and bidi character made visible (each format escapes its own markup on top).
 */
import type { AccountResult, Gap, GapConfirmation, TenantReport } from '../core/tenant/types.js';
import { escapeUnsafe } from './escape.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** One line of untrusted text: every control and bidi character (line breaks too) shown as \uXXXX. */
function oneLine(text: string): string {
  return escapeUnsafe(text);
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

/** The policies Entra names against a gap: the ones that demand MFA or block, else every one it says applies. */
function entraPolicies(confirmation: GapConfirmation): string[] {
  const entra = confirmation.entra;
  if (!entra) return [];
  return entra.stoppers.length > 0 ? entra.stoppers : entra.applies;
}

/**
 * "confirmed by Entra What If", "DISPUTED: Entra says policy X applies (reason)", "What If inconclusive: reason",
 * "not checkable with What If: reason"; '' when the gap carries no confirmation.
 */
export function confirmationText(gap: Pick<Gap, 'confirmation'>): string {
  const confirmation = gap.confirmation;
  if (!confirmation) return '';
  const reason = oneLine(confirmation.reason);
  switch (confirmation.status) {
    case 'confirmed':
      return 'confirmed by Entra What If';
    case 'disputed': {
      const policies = entraPolicies(confirmation).map(oneLine);
      const who =
        policies.length === 0
          ? 'Entra says a policy applies'
          : `Entra says ${plural(policies.length, 'policy')} ${policies.join(', ')} ${policies.length === 1 ? 'applies' : 'apply'}`;
      return `DISPUTED: ${who}${reason ? ` (${reason})` : ''}`;
    }
    case 'inconclusive':
      return `What If inconclusive${reason ? `: ${reason}` : ''}`;
    default:
      return `not checkable with What If${reason ? `: ${reason}` : ''}`;
  }
}

/** The window's length in whole days ("last 30 days"), at least 1. */
function windowDays(window: { from: string; to: string }): number {
  const span = Date.parse(window.to) - Date.parse(window.from);
  return Number.isFinite(span) ? Math.max(Math.round(span / DAY_MS), 1) : 0;
}

function windowLabel(window: { from: string; to: string }): string {
  const days = windowDays(window);
  return days > 0 ? `last ${days} ${plural(days, 'day')}` : `${oneLine(window.from)} to ${oneLine(window.to)}`;
}

/** "2026-11-20 Outlook from 203.0.113.7 (NL)": the last single-factor sign-in, in a few words. */
export function lastSingleFactorText(account: Pick<AccountResult, 'evidence'>): string {
  const last = account.evidence?.singleFactor.last;
  if (!last) return '';
  const day = /^\d{4}-\d{2}-\d{2}/.exec(last.time)?.[0] ?? last.time;
  const app = last.app || last.client;
  const where = last.location ? ` (${last.location})` : '';
  return oneLine(`${day}${app ? ` ${app}` : ''}${last.ip ? ` from ${last.ip}` : ''}${where}`);
}

/**
 * "sign-ins (last 30 days): 3 without MFA, last 2026-11-20 Outlook from 203.0.113.7 (NL); 41 with MFA (41 by the
 * federated IdP's claim)"; '' without evidence.
 */
export function evidenceText(account: Pick<AccountResult, 'evidence'>): string {
  const evidence = account.evidence;
  if (!evidence) return '';
  const single = evidence.singleFactor.count;
  const last = lastSingleFactorText(account);
  const byClaim = evidence.mfa.byFederatedClaim;
  return (
    `sign-ins (${windowLabel(evidence.window)}): ${single} without MFA${last ? `, last ${last}` : ''}; ` +
    `${evidence.mfa.count} with MFA${byClaim ? ` (${byClaim} by the federated IdP's claim)` : ''}`
  );
}

/** "the policies alone said pass; Entra's evidence changed it"; '' when the evidence changed nothing. */
export function engineVerdictText(account: Pick<AccountResult, 'engineVerdict' | 'verdict'>): string {
  if (account.engineVerdict === undefined) return '';
  return `the policies alone said ${account.engineVerdict}; Entra's evidence made it ${account.verdict}`;
}

/**
 * "Entra What If: 5 requests, 4 answered: 2 confirmed, 1 disputed, 1 inconclusive; 1 gap not checkable; spot-checks
 * of passes: 2 (2 confirmed)"; '' without What If.
 */
export function whatIfText(report: Pick<TenantReport, 'whatIf'>): string {
  const w = report.whatIf;
  if (!w) return '';
  const spot = w.spotChecks;
  const spotText =
    spot.requests > 0
      ? `; spot-checks of passes: ${spot.requests} (${spot.confirmed} confirmed, ${spot.disputed} disputed, ${spot.inconclusive} inconclusive)`
      : '';
  return (
    `Entra What If: ${w.requests} ${plural(w.requests, 'request')}, ${w.answered} answered: ` +
    `${w.confirmed} confirmed, ${w.disputed} disputed, ${w.inconclusive} inconclusive; ` +
    `${w.notCheckable} ${plural(w.notCheckable, 'gap')} not checkable${spotText}`
  );
}

/** "Sign-ins read from 2026-10-21T00:00:00Z to 2026-11-20T00:00:00Z (last 30 days), truncated"; '' without them. */
export function signInsText(report: Pick<TenantReport, 'signIns'>): string {
  const s = report.signIns;
  if (!s) return '';
  const days = windowDays(s.window);
  return (
    `Sign-ins read from ${oneLine(s.window.from)} to ${oneLine(s.window.to)}` +
    `${days > 0 ? ` (${windowLabel(s.window)})` : ''}` +
    `${s.truncated ? ', truncated: collection stopped early, so counts are lower bounds' : ''}`
  );
}
