/**
 * CSV for spreadsheets: one row per account (tenant) or per token. Pure: report → text.
 *
 * RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma, quote, CR or LF, quotes doubled.
 * Formula injection: a cell that starts with = + - @ (or a tab / CR) is prefixed with ' so a spreadsheet shows it
 * as text instead of running it — display names and claims come from the tenant, not from us.
 */
import type { AccountResult, TenantReport } from '../core/tenant/types.js';
import type { TokenReport } from '../core/token/types.js';
import { accountName, CHECK_ORDER, claimText, decidingChecks, gapLines, tokenSubject } from './result-text.js';
import { sortAccounts } from './account-order.js';
import { escapeUnsafe } from './escape.js';
import { lastSingleFactorText } from './evidence-text.js';
import type { RenderOptions } from './types.js';

/** One cell: control characters escaped, defused against formulas, then quoted if RFC 4180 requires it. */
export function csvCell(value: unknown): string {
  // Cells are strings, numbers, booleans or lists (joined with commas, as String does).
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  let text = value === undefined || value === null ? '' : String(value);
  // Tab, CR and LF are safe inside a quoted cell; every other control or bidi character is shown as \uXXXX.
  text = escapeUnsafe(text, '\t\r\n');
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: readonly string[], rows: readonly unknown[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const TENANT_HEADER = [
  'tenantId',
  'id',
  'userPrincipalName',
  'displayName',
  'kind',
  'verdict',
  'mechanisms',
  'gaps',
  'policyIds',
  'reasons',
  'roles',
  'accountEnabled',
  'accepted',
  'acceptedOwner',
  'acceptedExpires',
  'acceptedReason',
  'baselineExpired',
  // Evidence from Entra (evaluation.md §9), empty when the snapshot held none: appended, so the columns before keep
  // their positions.
  'gapConfirmation',
  'engineVerdict',
  'signInsSingleFactor',
  'signInsMfa',
  'signInsLastSingleFactor',
] as const;

export function renderTenantCsv(report: TenantReport, _options?: RenderOptions): string {
  const rows = sortAccounts(report.accounts).map((account) => [
    report.tenantId,
    account.id,
    accountName(account),
    account.displayName,
    account.kind,
    account.verdict,
    (account.mechanisms ?? []).join('; '),
    gapLines(account).join(' | '),
    [...new Set((account.gaps ?? []).flatMap((gap) => gap.policyIds ?? []))].join('; '),
    (account.reasons ?? []).join(' | '),
    (account.roles ?? []).join('; '),
    account.accountEnabled === undefined ? '' : String(account.accountEnabled),
    ...acceptanceCells(account),
    ...evidenceCells(account),
  ]);
  return csv(TENANT_HEADER, rows);
}

/**
 * gapConfirmation (each gap's What If status, in gap order, joined with ' | ' like the gaps), engineVerdict,
 * signInsSingleFactor, signInsMfa, signInsLastSingleFactor.
 */
function evidenceCells(account: AccountResult): unknown[] {
  const statuses = (account.gaps ?? []).map((gap) => gap.confirmation?.status ?? '');
  const evidence = account.evidence;
  return [
    statuses.some((status) => status !== '') ? statuses.join(' | ') : '',
    account.engineVerdict,
    evidence?.singleFactor.count,
    evidence?.mfa.count,
    lastSingleFactorText(account),
  ];
}

/** The baseline columns (accepted, acceptedOwner, acceptedExpires, acceptedReason, baselineExpired), for either command. */
function acceptanceCells(item: Pick<AccountResult, 'accepted' | 'expiredAcceptance'>): unknown[] {
  const { accepted, expiredAcceptance } = item;
  return [accepted ? 'yes' : '', accepted?.owner, accepted?.expires, accepted?.reason, expiredAcceptance?.expires];
}

const TOKEN_HEADER = [
  'index',
  'source',
  'verdict',
  'kind',
  'subject',
  'tenantId',
  'appId',
  'audience',
  ...CHECK_ORDER.map((id) => `check:${id}`),
  'messages',
  'accepted',
  'acceptedOwner',
  'acceptedExpires',
  'acceptedReason',
  'baselineExpired',
] as const;

export function renderTokenCsv(report: TokenReport, _options?: RenderOptions): string {
  const rows = [...report.results]
    .sort((a, b) => a.index - b.index)
    .map((result) => {
      const status = new Map((result.checks ?? []).map((check) => [check.id as string, check.status]));
      return [
        // Counted from 1, as the text, Markdown, SARIF and JUnit reports name tokens ("Token 1").
        result.index + 1,
        result.source,
        result.verdict,
        result.kind,
        tokenSubject(result),
        claimText(result, 'tid'),
        claimText(result, 'appid') || claimText(result, 'azp'),
        claimText(result, 'aud'),
        ...CHECK_ORDER.map((id) => status.get(id) ?? ''),
        decidingChecks(result)
          .map((check) => `${check.id}: ${check.message}`)
          .join(' | '),
        ...acceptanceCells(result),
      ];
    });
  return csv(TOKEN_HEADER, rows);
}
