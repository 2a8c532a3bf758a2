/**
 * What the human tenant reports (table, Markdown) say: the headline, counts per kind, and the problem shown for each
 * account (grouped when many accounts share it).
 */
import type {
  AccountKind,
  AccountResult,
  AccountVerdict,
  Finding,
  Severity,
  TenantReport,
  TenantSummary,
} from '../../core/tenant/types.js';
import { sortAccounts } from '../account-order.js';
import { escapeUnsafe } from '../escape.js';

/** What the account lists say of an account a baseline entry accepts (or accepted). */
export { acceptanceNote } from '../result-text.js';

/** The summary's verdict counts, in the order every report shows them. */
export const VERDICTS: readonly AccountVerdict[] = ['pass', 'fail', 'exempt', 'unknown'];
/** Kinds in the order people care about them: the many first, the special few after. */
const KINDS: readonly AccountKind[] = ['member', 'guest', 'service', 'emergency', 'sync'];
const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'info'];

/** Without --verbose, people see at most this many accounts per section (the JSON report always has all). */
export const SECTION_LIMIT = 100;

/** Findings by severity, high first; the engine's order is kept within a severity. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = (severity: Severity): number => {
    const index = SEVERITIES.indexOf(severity);
    return index === -1 ? SEVERITIES.length : index;
  };
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => rank(a.finding.severity) - rank(b.finding.severity) || a.index - b.index)
    .map(({ finding }) => finding);
}

function emptySummary(): TenantSummary {
  return { accounts: 0, pass: 0, fail: 0, exempt: 0, unknown: 0 };
}

/** Verdict counts per kind, for the kinds present, in KINDS order (kinds this version does not know go last). */
export function countByKind(report: TenantReport): Array<{ kind: string; counts: TenantSummary }> {
  const byKind = new Map<string, TenantSummary>();
  for (const kind of KINDS) byKind.set(kind, emptySummary());
  for (const account of report.accounts) {
    let counts = byKind.get(account.kind);
    if (!counts) byKind.set(account.kind, (counts = emptySummary()));
    counts.accounts += 1;
    if (VERDICTS.includes(account.verdict)) counts[account.verdict] += 1;
  }
  return [...byKind].filter(([, counts]) => counts.accounts > 0).map(([kind, counts]) => ({ kind, counts }));
}

/**
 * The headline: what the exit code will say, in words. Accounts accepted by a current baseline entry do not fail
 * the gate, so they are counted apart; they never turn the headline into PASS.
 */
export function headline(report: TenantReport): { status: 'FAIL' | 'INCOMPLETE' | 'ACCEPTED' | 'PASS'; text: string } {
  const total = report.summary.accounts;
  const open = (verdict: AccountVerdict): number =>
    report.accounts.filter((a) => a.verdict === verdict && a.accepted === undefined).length;
  const accepted = report.accounts.filter((a) => a.accepted !== undefined).length;
  const acceptedNote = accepted > 0 ? ` (${accepted} more accepted by the baseline)` : '';
  const fail = open('fail');
  if (fail > 0) {
    return {
      status: 'FAIL',
      text: `${fail} of ${total} ${plural(total, 'account')} can sign in without MFA${acceptedNote}`,
    };
  }
  const unknown = open('unknown');
  if (unknown > 0) {
    return {
      status: 'INCOMPLETE',
      text: `no account fails, but ${unknown} ${plural(unknown, 'account')} could not be decided${acceptedNote}`,
    };
  }
  if (accepted > 0) {
    return {
      status: 'ACCEPTED',
      text: `${accepted} failing or undecided ${plural(accepted, 'account')}, all accepted by the baseline until their entries expire`,
    };
  }
  if (total === 0) return { status: 'PASS', text: 'the tenant has no user objects, so nothing can fail' };
  return { status: 'PASS', text: `every account is forced through MFA or exempt (${total} audited)` };
}

/**
 * Why an account is in the failing or unknown list: a failing account's first gap (the sign-in that gets through);
 * an unknown account's reasons, all of them, since which data is missing is what the reader must act on.
 */
export function firstProblem(account: AccountResult): string {
  const gap = account.gaps[0];
  if (account.verdict === 'fail' && gap) return gap.description;
  if (account.verdict === 'unknown' && account.reasons.length > 0) return account.reasons.join('\n');
  return account.reasons[0] ?? gap?.description ?? '(no reason given)';
}

/** How many more gaps (or, for a failing account without gaps, reasons) stand behind the one shown. */
export function moreProblems(account: AccountResult): number {
  if (account.verdict === 'fail' && account.gaps.length > 0) return account.gaps.length - 1;
  if (account.verdict === 'unknown') return 0;
  return Math.max(account.reasons.length - 1, 0);
}

/**
 * Accounts grouped by the problem shown for them, so twenty members failing through the same policy read as one
 * story: the largest group first, accounts by UPN within a group. `repeat` marks every account after a group's
 * first (the reporters print "same as above" instead of the text again).
 */
export function groupByProblem(accounts: readonly AccountResult[]): Array<{ account: AccountResult; repeat: boolean }> {
  const groups = new Map<string, AccountResult[]>();
  for (const account of sortAccounts(accounts)) {
    const key = firstProblem(account);
    const group = groups.get(key);
    if (group) group.push(account);
    else groups.set(key, [account]);
  }
  return [...groups.values()]
    .map((group, order) => ({ group, order }))
    .sort((a, b) => b.group.length - a.group.length || a.order - b.order)
    .flatMap(({ group }) => group.map((account, index) => ({ account, repeat: index > 0 })));
}

/** Roles and partner agent groups, the things that make a failing account urgent. */
export function standing(account: AccountResult): string {
  return [...(account.roles ?? []), ...(account.agentGroups ?? [])].join(', ');
}

/** Distinct Partner Center impacts of the failing accounts (usually one sentence for all). */
export function partnerCenterImpacts(accounts: readonly AccountResult[]): string[] {
  const impacts = new Set<string>();
  for (const account of accounts) if (account.partnerCenterImpact) impacts.add(account.partnerCenterImpact);
  return [...impacts];
}

export function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

export function sourceLine(report: TenantReport): string {
  const source = report.source;
  if (!source) return '';
  const what =
    source.kind === 'demo'
      ? 'the bundled demo tenant'
      : source.kind === 'graph'
        ? 'Microsoft Graph (live)'
        : `snapshot ${source.path ?? ''}`.trim();
  return source.collectedAt ? `${what}, collected ${source.collectedAt}` : what;
}

/** Tenant data (names, UPNs) never drives a terminal: control and bidi characters but tab and LF shown as \uXXXX. */
export function printable(text: string): string {
  return escapeUnsafe(text, '\t\n');
}
