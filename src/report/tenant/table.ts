/**
 * The tenant report for people: the verdict first, then counts, then the accounts that need work with the first
 * sign-in that gets through (or why the verdict is unknown), then the tenant findings. With colour off there is no
 * box drawing either, so a log file or a screen reader gets plain aligned text.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { AccountResult, AccountVerdict, Finding, Severity, TenantReport } from '../../core/tenant/types.js';
import type { RenderOptions } from '../types.js';
import {
  SECTION_LIMIT,
  VERDICTS,
  countByKind,
  firstProblem,
  headline,
  moreProblems,
  partnerCenterImpacts,
  plural,
  sortAccounts,
  sortFindings,
  sourceLine,
  standing,
} from './common.js';

const DEFAULT_WIDTH = 100;
const MIN_WIDTH = 60;

const PLAIN_CHARS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
};

interface Style {
  c: ChalkInstance;
  color: boolean;
  width: number;
}

export function renderTenantTable(report: TenantReport, options: RenderOptions): string {
  const style: Style = {
    c: new Chalk({ level: options.color ? 1 : 0 }),
    color: options.color,
    width: Math.max(options.width ?? DEFAULT_WIDTH, MIN_WIDTH),
  };
  const accounts = sortAccounts(report.accounts);
  const failing = accounts.filter((a) => a.verdict === 'fail');
  const unknown = accounts.filter((a) => a.verdict === 'unknown');
  const blocks = [
    header(report, style),
    summaryTable(report, style),
    problemSection('Failing accounts', 'first sign-in that gets through without MFA', failing, options, style),
    problemSection('Unknown accounts', 'what is missing', unknown, options, style),
    findingsSection(sortFindings(report.findings), style),
    impactSection(failing, style),
    options.verbose ? everyAccountSection(accounts, style) : '',
    footer(report, failing.length + unknown.length, options, style),
  ];
  const text = blocks.filter((block) => block !== '').join('\n\n');
  // Plain tables pad every cell to its column; trailing blanks only get in the way of diffs and copy-paste.
  return text.replace(/[ \t]+$/gm, '') + '\n';
}

function header(report: TenantReport, { c }: Style): string {
  const { status, text } = headline(report.summary);
  const paint = status === 'FAIL' ? c.red.bold : status === 'INCOMPLETE' ? c.yellow.bold : c.green.bold;
  const lines = [
    `${c.bold('MFA audit of tenant')} ${report.tenantId}`,
    c.dim(`generated ${report.generatedAt}${report.source ? ` from ${sourceLine(report)}` : ''}`),
    '',
    `${paint(status)}  ${text}`,
  ];
  return lines.join('\n');
}

function summaryTable(report: TenantReport, style: Style): string {
  const { c } = style;
  const table = newTable(
    style,
    { head: ['kind', 'accounts', ...VERDICTS], colAligns: ['left', 'right', 'right', 'right', 'right', 'right'] },
    true,
  );
  for (const { kind, counts } of countByKind(report)) {
    table.push([kind, counts.accounts, ...VERDICTS.map((v) => paintCount(counts[v], v, c))]);
  }
  const s = report.summary;
  table.push([c.bold('total'), c.bold(String(s.accounts)), ...VERDICTS.map((v) => paintCount(s[v], v, c, true))]);
  return table.toString();
}

function paintCount(count: number, verdict: AccountVerdict, c: ChalkInstance, bold = false): string {
  const text = String(count);
  if (count === 0) return c.dim(text);
  const paint = verdictPaint(verdict, c);
  return bold ? paint.bold(text) : paint(text);
}

function problemSection(
  title: string,
  detail: string,
  accounts: AccountResult[],
  options: RenderOptions,
  style: Style,
): string {
  if (accounts.length === 0) return '';
  const { c } = style;
  const shown = options.verbose ? accounts : accounts.slice(0, SECTION_LIMIT);
  const accountWidth = accountColumnWidth(shown, style, 0.4);
  const kindWidth = kindColumnWidth(shown, style);
  const table = newTable(style, {
    head: ['account', 'kind', detail],
    colWidths: [accountWidth, kindWidth, restWidth(style, [accountWidth, kindWidth])],
    wordWrap: true,
    wrapOnWordBoundary: true,
  });
  for (const account of shown) {
    const more = moreProblems(account);
    const problem = firstProblem(account) + (more > 0 ? c.dim(` (+${more} more)`) : '');
    table.push([accountCell(account, c), account.kind, problem]);
  }
  const heading = c.bold(`${title} (${accounts.length})`);
  const rest = accounts.length - shown.length;
  const tail = rest > 0 ? `\n${c.dim(`… and ${rest} more: use --verbose, or --format json for every account`)}` : '';
  return `${heading}\n${table.toString()}${tail}`;
}

/** A UPN is never cut short: a long one wraps by character, roles and agent groups go on the next line. */
function accountCell(account: AccountResult, c: ChalkInstance): Table.CellOptions {
  const name = account.userPrincipalName || account.id;
  const extra = standing(account);
  return { content: extra ? `${name}\n${c.dim(extra)}` : name, wrapOnWordBoundary: false };
}

/** Wide enough for the longest UPN shown (so most fit on one line), but never more than `share` of the width. */
function accountColumnWidth(accounts: AccountResult[], style: Style, share: number): number {
  const longest = accounts.reduce((max, a) => Math.max(max, (a.userPrincipalName || a.id).length), 'account'.length);
  return Math.min(longest + padding(style), Math.floor(style.width * share));
}

function kindColumnWidth(accounts: AccountResult[], style: Style): number {
  return accounts.reduce((max, a) => Math.max(max, a.kind.length), 'kind'.length) + padding(style);
}

function padding(style: Style): number {
  return style.color ? 2 : 0;
}

function findingsSection(findings: Finding[], style: Style): string {
  if (findings.length === 0) return '';
  const { c } = style;
  const severityWidth = 10;
  const table = newTable(style, {
    head: ['severity', 'finding'],
    colWidths: [severityWidth, restWidth(style, [severityWidth])],
    wordWrap: true,
    wrapOnWordBoundary: true,
  });
  for (const finding of findings) {
    table.push([severityPaint(finding.severity, c)(finding.severity), `${finding.message} ${c.dim(`[${finding.id}]`)}`]);
  }
  return `${c.bold(`Findings (${findings.length})`)}\n${table.toString()}`;
}

function impactSection(failing: AccountResult[], { c }: Style): string {
  const impacts = partnerCenterImpacts(failing);
  if (impacts.length === 0) return '';
  return [c.bold('What failing accounts lose in Partner Center'), ...impacts.map((impact) => `  ${impact}`)].join(
    '\n',
  );
}

function everyAccountSection(accounts: AccountResult[], style: Style): string {
  if (accounts.length === 0) return '';
  const { c } = style;
  const accountWidth = accountColumnWidth(accounts, style, 0.34);
  const kindWidth = kindColumnWidth(accounts, style);
  const verdictWidth = 9;
  const table = newTable(style, {
    head: ['account', 'kind', 'verdict', 'mechanisms, reasons and gaps'],
    colWidths: [accountWidth, kindWidth, verdictWidth, restWidth(style, [accountWidth, kindWidth, verdictWidth])],
    wordWrap: true,
    wrapOnWordBoundary: true,
  });
  for (const account of accounts) {
    const lines: string[] = [];
    if (account.mechanisms.length > 0) lines.push(`mechanisms: ${account.mechanisms.join(', ')}`);
    for (const reason of account.reasons) lines.push(reason);
    for (const gap of account.gaps) lines.push(c.red(`gap: ${gap.description}`));
    for (const warning of account.warnings ?? []) lines.push(c.yellow(`warning: ${warning}`));
    if (account.kindReason) lines.push(c.dim(`kind: ${account.kindReason}`));
    table.push([
      accountCell(account, c),
      account.kind,
      verdictPaint(account.verdict, c)(account.verdict),
      lines.join('\n') || c.dim('-'),
    ]);
  }
  return `${c.bold(`Every account (${accounts.length})`)}\n${table.toString()}`;
}

function footer(report: TenantReport, problems: number, options: RenderOptions, { c }: Style): string {
  const hints: string[] = [];
  if (!options.verbose && report.accounts.length > 0) {
    hints.push(
      problems > 0
        ? 'Every gap and reason of every account: --verbose, or --format json.'
        : 'Every account with its mechanisms: --verbose.',
    );
  }
  if (report.summary.fail > 0) {
    hints.push(
      `Exit code 1: ${report.summary.fail} ${plural(report.summary.fail, 'account')} can sign in without MFA.`,
    );
  } else if (report.summary.unknown > 0) {
    hints.push('Exit code 3: the audit is incomplete; the unknown accounts say what is missing.');
  }
  return hints.length > 0 ? c.dim(hints.join('\n')) : '';
}

function newTable(style: Style, options: Table.TableConstructorOptions, compact = false): Table.Table {
  return new Table({
    ...options,
    head: (options.head ?? []).map((h) => style.c.bold(h)),
    style: { head: [], border: [], 'padding-left': padding(style) / 2, 'padding-right': padding(style) / 2, compact },
    ...(style.color ? {} : { chars: PLAIN_CHARS }),
  });
}

/** What is left of the width for the last column, given the others (borders and padding included). */
function restWidth(style: Style, widths: number[]): number {
  const used = widths.reduce((sum, w) => sum + w, 0);
  const separators = style.color ? widths.length + 2 : widths.length * 2;
  return Math.max(style.width - used - separators, 20);
}

function verdictPaint(verdict: AccountVerdict, c: ChalkInstance): ChalkInstance {
  switch (verdict) {
    case 'pass':
      return c.green;
    case 'fail':
      return c.red;
    case 'unknown':
      return c.yellow;
    default:
      return c.gray;
  }
}

function severityPaint(severity: Severity, c: ChalkInstance): ChalkInstance {
  switch (severity) {
    case 'high':
      return c.red.bold;
    case 'medium':
      return c.yellow;
    case 'low':
      return c.cyan;
    default:
      return c.gray;
  }
}
