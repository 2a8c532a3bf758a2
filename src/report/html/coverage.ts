/**
 * The coverage map: which classes of sign-in each group of accounts gets through without MFA. Rows are groups of
 * accounts that share a signature (verdict, mechanisms and the same gaps); columns are classes of sign-in (app,
 * client, platform, location, risk). A cell says only what the report proves:
 *
 * - `open`: a gap of the group has its example sign-in in this class: such a sign-in gets through without MFA;
 * - `uncertain`: only a gap that may not exist (`possible`, or of an undecided account) falls in this class;
 * - `covered`: the group passes through Conditional Access: every sign-in demands MFA or is blocked (the report does
 *   not say which of the two, so neither is claimed);
 * - `mfa`: the group passes through per-user MFA or security defaults alone: every sign-in demands MFA;
 * - `exempt`: the accounts cannot sign in, or are the sync account;
 * - `unproven`: the group fails or is undecided, and none of its gaps falls in this class. The engine shows at most a
 *   few gaps per account, so this is "no gap shown here", never "covered".
 */
import type { AccountResult, Gap, RiskLevel, SignInExample } from '../../core/tenant/types.js';

export type CellState = 'covered' | 'mfa' | 'open' | 'uncertain' | 'unproven' | 'exempt';

export interface CoverageColumn {
  /** The dimension, as the header groups them: "app", "client", "platform", "location", "risk". */
  dimension: string;
  /** The class within the dimension, in words. */
  label: string;
  /** Whether an example sign-in falls in this class. */
  matches: (example: SignInExample) => boolean;
}

export interface CoverageRow {
  /** 1-based, in map order: "G1" is the first group. */
  id: string;
  verdict: AccountResult['verdict'];
  /** The accounts of the group, in report order. */
  accounts: AccountResult[];
  /** The group's gaps (the same for every account of the group). */
  gaps: Gap[];
  cells: CellState[];
}

export interface CoverageMap {
  columns: readonly CoverageColumn[];
  rows: CoverageRow[];
  /** Groups not shown as rows (past `maxRows`) and the accounts in them. */
  hidden: { groups: number; accounts: number };
}

function appClass(example: SignInExample): string {
  if (example.application.adminPortal) return 'admin portals';
  if (example.application.office365) return 'Office 365';
  return 'other apps';
}

const RISK_ORDER: readonly RiskLevel[] = ['none', 'low', 'medium', 'high'];

/** The higher of the sign-in and user risk: a policy on either level can be the one that does (not) apply. */
function riskClass(example: SignInExample): RiskLevel {
  const rank = Math.max(RISK_ORDER.indexOf(example.signInRisk), RISK_ORDER.indexOf(example.userRisk), 0);
  return RISK_ORDER[rank] ?? 'none';
}

function column(dimension: string, label: string, matches: (example: SignInExample) => boolean): CoverageColumn {
  return { dimension, label, matches };
}

/** The classes of sign-in, dimension by dimension. */
export const COVERAGE_COLUMNS: readonly CoverageColumn[] = [
  ...['Office 365', 'admin portals', 'other apps'].map((label) => column('app', label, (e) => appClass(e) === label)),
  column('client', 'browser', (e) => e.clientAppType === 'browser'),
  column('client', 'mobile & desktop', (e) => e.clientAppType === 'mobileAppsAndDesktopClients'),
  column('client', 'Exchange ActiveSync', (e) => e.clientAppType === 'exchangeActiveSync'),
  column('client', 'other legacy', (e) => e.clientAppType === 'other'),
  ...(['windows', 'macOS', 'linux', 'iOS', 'android', 'windowsPhone', 'unknown'] as const).map((platform) =>
    column('platform', platform, (e) => e.platform === platform),
  ),
  column('location', 'trusted', (e) => e.trustedLocation),
  column('location', 'untrusted', (e) => !e.trustedLocation),
  ...RISK_ORDER.map((risk) => column('risk', risk, (e) => riskClass(e) === risk)),
];

/** The accounts' shared signature: verdict, mechanisms and gaps (text, policies, certainty). */
function signatureOf(account: AccountResult): string {
  const gaps = account.gaps.map((gap) => [gap.description, gap.policyIds, gap.possible === true]);
  return JSON.stringify([account.verdict, [...account.mechanisms].sort(), gaps]);
}

const VERDICT_RANK: Readonly<Record<string, number>> = { fail: 0, unknown: 1, pass: 2, exempt: 3 };

function cellState(account: AccountResult, column: CoverageColumn): CellState {
  if (account.verdict === 'exempt') return 'exempt';
  if (account.verdict === 'pass') {
    return account.mechanisms.includes('conditional-access') || account.mechanisms.length === 0 ? 'covered' : 'mfa';
  }
  const hits = account.gaps.filter((gap) => gap.example !== undefined && column.matches(gap.example));
  if (account.verdict === 'fail' && hits.some((gap) => gap.possible !== true)) return 'open';
  return hits.length > 0 ? 'uncertain' : 'unproven';
}

/**
 * Groups the accounts by signature and states every group × class cell: failing groups first, then undecided,
 * passing and exempt ones; the largest first within a verdict. At most `maxRows` rows (the rest are counted).
 */
export function coverageMap(accounts: readonly AccountResult[], maxRows = 60): CoverageMap {
  const groups = new Map<string, AccountResult[]>();
  for (const account of accounts) {
    const key = signatureOf(account);
    const group = groups.get(key);
    if (group) group.push(account);
    else groups.set(key, [account]);
  }
  const ordered = [...groups.values()].sort(
    (a, b) => (VERDICT_RANK[a[0]!.verdict] ?? 4) - (VERDICT_RANK[b[0]!.verdict] ?? 4) || b.length - a.length || 0,
  );
  const shown = ordered.slice(0, maxRows);
  const rows = shown.map((group, index): CoverageRow => {
    const first = group[0]!;
    return {
      id: `G${index + 1}`,
      verdict: first.verdict,
      accounts: group,
      gaps: first.gaps,
      cells: COVERAGE_COLUMNS.map((col) => cellState(first, col)),
    };
  });
  const rest = ordered.slice(maxRows);
  return {
    columns: COVERAGE_COLUMNS,
    rows,
    hidden: { groups: rest.length, accounts: rest.reduce((sum, group) => sum + group.length, 0) },
  };
}
