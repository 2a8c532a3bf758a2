/**
 * The tenant report for machines, as schemas/tenant-report.schema.json describes it. The fields that schema names
 * come first, in a fixed order, so a diff between two runs reads naturally; the engine's extra fields follow them.
 * Accounts are in the one account order, so the same tenant always gives the same file.
 *
 * Two renderings of the same bytes: `renderTenantJson` returns one string (tests, small tenants);
 * `renderTenantJsonChunks` yields it piece by piece, so a 100,000-account report (hundreds of MB) is never one
 * string in memory. The chunks render each account on its own, and each distinct gap list once: accounts of the same
 * Conditional Access signature share their gap objects (the engine computes them once), so their text is shared too.
 */
import type {
  AccountResult,
  Finding,
  Fix,
  Gap,
  GapConfirmation,
  SignInEvidence,
  TenantReport,
  WhatIfSummary,
} from '../../core/tenant/types.js';
import type { RenderOptions } from '../types.js';
import { compareAccounts } from '../../core/tenant/account-order.js';
import { sortAccounts } from '../account-order.js';

export function renderTenantJson(report: TenantReport, _options: RenderOptions): string {
  return JSON.stringify(reportShape(report), null, 2) + '\n';
}

/** About this many characters per chunk: large enough for cheap writes, small enough to stay out of the way. */
const CHUNK_CHARS = 1 << 20;

/**
 * The same text as `renderTenantJson`, byte for byte, in chunks of about a megabyte (the last one ends with the
 * newline). Lazy: each chunk is rendered when it is asked for.
 */
export function* renderTenantJsonChunks(report: TenantReport, _options: RenderOptions): Generator<string> {
  const { tenantId, generatedAt, summary, findings, accounts, ...extras } = report;
  const head = objectBody(
    {
      tenantId,
      generatedAt,
      summary: orderedSummary(summary),
      findings: findings.map(findingShape),
    },
    '',
  );
  const tail = objectBody(reportExtras(extras), '');
  let text = '{' + head + (head ? ',' : '') + '\n  "accounts": ';
  const sorted = inOrder(accounts);
  if (sorted.length === 0) {
    text += '[]';
  } else {
    text += '[';
    const gapTexts = new Map<Gap[], string>();
    for (let start = 0; start < sorted.length; start += BATCH) {
      text += (start === 0 ? '' : ',') + batchText(sorted.slice(start, start + BATCH), gapTexts);
      if (text.length >= CHUNK_CHARS) {
        yield text;
        text = '';
      }
    }
    text += '\n  ]';
  }
  yield text + (tail ? ',' + tail : '') + '\n}\n';
}

/** The counts first (accounts, pass, fail, exempt, unknown), then any others. */
function orderedSummary(summary: TenantReport['summary']): TenantReport['summary'] {
  const { accounts, pass, fail, exempt, unknown, ...extras } = summary;
  return { accounts, pass, fail, exempt, unknown, ...extras };
}

function reportShape(report: TenantReport): Record<string, unknown> {
  const { tenantId, generatedAt, summary, findings, accounts, ...extras } = report;
  return {
    tenantId,
    generatedAt,
    summary: orderedSummary(summary),
    findings: findings.map(findingShape),
    accounts: sortAccounts(accounts).map(accountShape),
    ...reportExtras(extras),
  };
}

/** The accounts in report order; the engine already sorts them, so usually this is one linear check and no copy. */
function inOrder(accounts: readonly AccountResult[]): readonly AccountResult[] {
  for (let i = 1; i < accounts.length; i++) {
    if (compareAccounts(accounts[i - 1] as AccountResult, accounts[i] as AccountResult) > 0)
      return sortAccounts(accounts);
  }
  return accounts;
}

function findingShape(finding: Finding): Record<string, unknown> {
  const { id, severity, message, ...extras } = finding;
  return { id, severity, message, ...extras };
}

function accountShape(account: AccountResult): Record<string, unknown> {
  const { id, userPrincipalName, displayName, kind, verdict, mechanisms, reasons, gaps, ...extras } = account;
  return {
    id,
    userPrincipalName,
    displayName,
    kind,
    verdict,
    mechanisms,
    reasons,
    gaps: gaps.map(gapShape),
    ...accountExtras(extras),
  };
}

function gapShape(gap: Gap): Record<string, unknown> {
  const { description, policyIds, confirmation, ...extras } = gap;
  return {
    description,
    policyIds,
    ...extras,
    ...(confirmation ? { confirmation: confirmationShape(confirmation) } : {}),
  };
}

/*
 * Evidence from Entra (evaluation.md §9) comes last, in a fixed order and with its own fields in a fixed order,
 * whatever order the engine set them in; absent, nothing is written, so reports without evidence keep their bytes.
 */

function confirmationShape(confirmation: GapConfirmation): Record<string, unknown> {
  const { status, reason, entra, ...extras } = confirmation;
  if (!entra) return { status, reason, ...extras };
  const { key, applies, stoppers, undetermined, ...entraExtras } = entra;
  return { status, reason, entra: { key, applies, stoppers, undetermined, ...entraExtras }, ...extras };
}

/** An account's extras in the engine's order, then `engineVerdict` and `evidence`. */
function accountExtras(extras: Partial<AccountResult>): Record<string, unknown> {
  const { engineVerdict, evidence, ...rest } = extras;
  return {
    ...rest,
    ...(engineVerdict !== undefined ? { engineVerdict } : {}),
    ...(evidence ? { evidence: evidenceShape(evidence) } : {}),
  };
}

function evidenceShape(evidence: SignInEvidence): Record<string, unknown> {
  const { window, singleFactor, mfa, ...extras } = evidence;
  const last = singleFactor.last;
  return {
    window: { from: window.from, to: window.to },
    singleFactor: {
      count: singleFactor.count,
      ...(last
        ? { last: { time: last.time, app: last.app, client: last.client, ip: last.ip, location: last.location } }
        : {}),
    },
    mfa: {
      count: mfa.count,
      ...(mfa.byFederatedClaim !== undefined ? { byFederatedClaim: mfa.byFederatedClaim } : {}),
    },
    ...extras,
  };
}

/** The report's extras in the engine's order, then `whatIf` and `signIns`. */
function reportExtras(extras: Partial<TenantReport>): Record<string, unknown> {
  const { whatIf, signIns, fixes, ...rest } = extras;
  return {
    ...rest,
    ...(fixes ? { fixes: fixes.map(fixShape) } : {}),
    ...(whatIf ? { whatIf: whatIfShape(whatIf) } : {}),
    ...(signIns
      ? { signIns: { window: { from: signIns.window.from, to: signIns.window.to }, truncated: signIns.truncated } }
      : {}),
  };
}

function fixShape(fix: Fix): Record<string, unknown> {
  const { id, kind, title, policyIds, accountIds, gapsClosed, privileged, ...extras } = fix;
  return { id, kind, title, policyIds, accountIds, gapsClosed, privileged, ...extras };
}

function whatIfShape(w: WhatIfSummary): Record<string, unknown> {
  const { requests, answered, confirmed, disputed, inconclusive, notCheckable, spotChecks, ...extras } = w;
  const spot = spotChecks;
  return {
    requests,
    answered,
    confirmed,
    disputed,
    inconclusive,
    notCheckable,
    spotChecks: {
      requests: spot.requests,
      confirmed: spot.confirmed,
      disputed: spot.disputed,
      inconclusive: spot.inconclusive,
    },
    ...extras,
  };
}

/** Accounts rendered per JSON.stringify call. */
const BATCH = 256;
/** Stands for an account's gaps in the batch's text; the JSON text of a string never holds an unescaped quote. */
const GAPS_MARK = '\u0001';
const GAPS_PLACE = '"gaps": "\\u0001"';
const BATCH_OPEN = '{\n  "a": [';
const BATCH_CLOSE = '\n  ]\n}';

/**
 * Accounts as they appear at depth 2 of the report ("\n    {…},\n    {…}"), by one JSON.stringify of the batch
 * nested at the same depth (so its indentation is already right), each account's gaps standing in as a marker and
 * then replaced by the gap list's text (rendered once per list). Should any other text look like a marker (it
 * cannot in JSON, but the count is checked), the batch is rendered account by account instead.
 */
function batchText(batch: AccountResult[], gapTexts: Map<Gap[], string>): string {
  const shapes = batch.map((account) => {
    const { id, userPrincipalName, displayName, kind, verdict, mechanisms, reasons, gaps: _gaps, ...extras } = account;
    const rest = accountExtras(extras);
    return { id, userPrincipalName, displayName, kind, verdict, mechanisms, reasons, gaps: GAPS_MARK, ...rest };
  });
  const all = JSON.stringify({ a: shapes }, null, 2);
  const body = all.slice(BATCH_OPEN.length, all.length - BATCH_CLOSE.length);
  let out = '';
  let cursor = 0;
  for (const account of batch) {
    const at = body.indexOf(GAPS_PLACE, cursor);
    if (at < 0) return accountByAccount(batch, gapTexts);
    out += body.slice(cursor, at) + '"gaps": ' + gapsText(account.gaps, gapTexts);
    cursor = at + GAPS_PLACE.length;
  }
  if (body.indexOf(GAPS_PLACE, cursor) >= 0) return accountByAccount(batch, gapTexts);
  return out + body.slice(cursor);
}

function accountByAccount(batch: AccountResult[], gapTexts: Map<Gap[], string>): string {
  return batch.map((account) => '\n' + ACCOUNT_INDENT + accountText(account, gapTexts)).join(',');
}

function gapsText(gaps: Gap[], gapTexts: Map<Gap[], string>): string {
  let text = gapTexts.get(gaps);
  if (text === undefined) {
    text = indent(JSON.stringify(gaps.map(gapShape), null, 2), ACCOUNT_INDENT + '  ');
    gapTexts.set(gaps, text);
  }
  return text;
}

/** Indentation of an account's own fields inside `"accounts": [ … ]`. */
const ACCOUNT_INDENT = '    ';

/**
 * One account as `JSON.stringify(…, null, 2)` writes it at depth 2 of the report: its fields before the gaps, the
 * gaps (rendered once per distinct gap list), then its extras.
 */
function accountText(account: AccountResult, gapTexts: Map<Gap[], string>): string {
  const { id, userPrincipalName, displayName, kind, verdict, mechanisms, reasons, gaps, ...extras } = account;
  const head = objectBody({ id, userPrincipalName, displayName, kind, verdict, mechanisms, reasons }, ACCOUNT_INDENT);
  const gapText = gapsText(gaps, gapTexts);
  const tail = objectBody(accountExtras(extras), ACCOUNT_INDENT);
  return (
    '{' +
    head +
    (head ? ',' : '') +
    '\n' +
    ACCOUNT_INDENT +
    '  "gaps": ' +
    gapText +
    (tail ? ',' + tail : '') +
    '\n' +
    ACCOUNT_INDENT +
    '}'
  );
}

/**
 * An object's fields as `JSON.stringify(object, null, 2)` writes them, without the braces, indented by `by`:
 * "\n  \"a\": 1,\n  \"b\": 2" ('' when no field is written, e.g. all undefined).
 */
function objectBody(object: Record<string, unknown>, by: string): string {
  const text = JSON.stringify(object, null, 2);
  if (text === '{}') return '';
  // "{" + body + "\n}": the body's lines start with a newline, so indenting them is a replacement of newlines.
  return indent(text.slice(1, -2), by);
}

/** Indents every line after the first (JSON text has newlines only between tokens: strings escape theirs). */
function indent(text: string, by: string): string {
  return by === '' ? text : text.replaceAll('\n', '\n' + by);
}
