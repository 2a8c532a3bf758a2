/**
 * The tenant report for people: the verdict first, then counts, then the accounts that need work with the first
 * sign-in that gets through (or why the verdict is unknown), then the tenant findings. With colour off there is no
 * box drawing either, so a log file or a screen reader gets plain aligned text.
 *
 * Text is wrapped here, before cli-table3 lays it out, so nothing is ever cut short with '…' (a UPN or a policy
 * name that is longer than its column breaks across lines instead).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { AccountResult, AccountVerdict, Finding, Severity, TenantReport } from '../../core/tenant/types.js';
import { sortAccounts } from '../account-order.js';
import { confirmationText, engineVerdictText, evidenceText, signInsText, whatIfText } from '../evidence-text.js';
import type { RenderOptions } from '../types.js';
import type { Line, Style } from './text-layout.js';
import { block, indent } from './text-layout.js';
import {
  SECTION_LIMIT,
  VERDICTS,
  acceptanceNote,
  countByKind,
  headline,
  partnerCenterImpacts,
  plural,
  sortFindings,
  sourceLine,
  standing,
  printable,
} from './wording.js';
import { failingSection, fixesSection, mergedFindings, unknownSection } from './table-lists.js';

const DEFAULT_WIDTH = 100;
const MIN_WIDTH = 60;

const PLAIN_CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

export function renderTenantTable(report: TenantReport, options: RenderOptions): string {
  const style: Style = {
    c: new Chalk({ level: options.color ? 1 : 0 }),
    color: options.color,
    width: Math.max(options.width ?? DEFAULT_WIDTH, MIN_WIDTH),
  };
  const accounts = sortAccounts(report.accounts);
  const failing = accounts.filter((a) => a.verdict === 'fail');
  const unknown = accounts.filter((a) => a.verdict === 'unknown');
  const limit = options.verbose ? accounts.length : SECTION_LIMIT;
  const blocks = [
    header(report, style),
    fixesSection(report, style),
    failingSection(failing, limit, style),
    unknownSection(unknown, limit, style),
    summaryTable(report, style),
    findingsSection(mergedFindings(sortFindings(report.findings)), style),
    impactSection(failing, style),
    baselineSection(report, style),
    options.verbose ? everyAccountSection(accounts, style) : '',
    footer(report, failing.length + unknown.length, options, style),
  ];
  const text = blocks.filter((block) => block !== '').join('\n\n');
  // Plain tables pad every cell to its column; trailing blanks only get in the way of diffs and copy-paste.
  return text.replace(/[ \t]+$/gm, '') + '\n';
}

function header(report: TenantReport, style: Style): string {
  const { c } = style;
  const { status, text } = headline(report);
  const paint = status === 'FAIL' ? c.red.bold : status === 'PASS' ? c.green.bold : c.yellow.bold;
  const generated = `generated ${report.generatedAt}${report.source ? ` from ${sourceLine(report)}` : ''}`;
  const evidence = [whatIfText(report), signInsText(report)].filter((text) => text !== '');
  return [
    `${c.bold('MFA audit of tenant')} ${printable(report.tenantId)}`,
    block([{ text: generated, paint: c.dim }, ...evidence.map((text) => ({ text, paint: c.dim }))], style.width),
    '',
    `${paint(status)}  ${block([{ text }], style.width - status.length - 2).replace(/\n/g, `\n${' '.repeat(status.length + 2)}`)}`,
  ].join('\n');
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

function findingsSection(findings: Finding[], style: Style): string {
  if (findings.length === 0) return '';
  const { c } = style;
  const widths = columnWidths(style, ['severity'.length + padding(style)]);
  const table = newTable(style, { head: ['severity', 'finding'], colWidths: widths });
  for (const finding of findings) {
    table.push([
      severityPaint(finding.severity, c)(finding.severity),
      cell([{ text: finding.message }, { text: `[${finding.id}]`, paint: c.dim }], widths[1]!, style),
    ]);
  }
  return `${c.bold(`Findings (${findings.length})`)}\n${table.toString()}`;
}

function impactSection(failing: AccountResult[], style: Style): string {
  const impacts = partnerCenterImpacts(failing);
  if (impacts.length === 0) return '';
  const body = impacts.map((impact) => indent(block([{ text: impact }], style.width - 2), '  '));
  return [style.c.bold('What failing accounts lose in Partner Center'), ...body].join('\n');
}

function baselineSection(report: TenantReport, style: Style): string {
  const baseline = report.baseline;
  if (!baseline) return '';
  const { c } = style;
  const lines: Line[] = [];
  if (baseline.strict) lines.push({ text: '--strict: the baseline was read and ignored; nothing is accepted.' });
  else
    lines.push({ text: `${baseline.accepted} ${plural(baseline.accepted, 'account')} accepted by a current entry.` });
  for (const entry of baseline.expired) {
    const who = entry.account ?? entry.subject ?? '?';
    lines.push({ text: `expired: ${who} (owner ${entry.owner}, expired ${entry.expires})`, paint: c.red });
  }
  for (const entry of baseline.unused) {
    lines.push({
      text: `unused, delete it: ${entry.account ?? entry.subject ?? '?'} (owner ${entry.owner})`,
      paint: c.dim,
    });
  }
  const title = c.bold(`Baseline${baseline.path ? ` ${baseline.path}` : ''}`);
  return `${title}\n${indent(block(lines, style.width - 2), '  ')}`;
}

function everyAccountSection(accounts: AccountResult[], style: Style): string {
  if (accounts.length === 0) return '';
  const { c } = style;
  const widths = columnWidths(style, [
    accountColumnWidth(accounts, style, 0.34),
    kindColumnWidth(accounts, style),
    'unknown'.length + padding(style),
  ]);
  const table = newTable(style, {
    head: ['account', 'kind', 'verdict', 'mechanisms, reasons and gaps'],
    colWidths: widths,
  });
  for (const account of accounts) {
    const lines: Line[] = [];
    if (account.mechanisms.length > 0) lines.push({ text: `mechanisms: ${account.mechanisms.join(', ')}` });
    for (const reason of account.reasons) lines.push({ text: reason });
    for (const gap of account.gaps) {
      lines.push({ text: `gap: ${gap.description}`, paint: c.red });
      const confirmation = confirmationText(gap);
      if (confirmation) lines.push({ text: `  ${confirmation}`, paint: confirmationPaint(confirmation, c) });
    }
    lines.push(...evidenceLines(account, c));
    for (const warning of account.warnings ?? []) lines.push({ text: `warning: ${warning}`, paint: c.yellow });
    if (account.kindReason) lines.push({ text: `kind: ${account.kindReason}`, paint: c.dim });
    const note = acceptanceNote(account);
    if (note) lines.push({ text: note, paint: c.cyan });
    if (lines.length === 0) lines.push({ text: '-', paint: c.dim });
    table.push([
      cell(accountLines(account, c), widths[0]!, style),
      cell([{ text: account.kind }], widths[1]!, style),
      verdictPaint(account.verdict, c)(account.verdict),
      cell(lines, widths[3]!, style),
    ]);
  }
  return `${c.bold(`Every account (${accounts.length})`)}\n${table.toString()}`;
}

function footer(report: TenantReport, problems: number, options: RenderOptions, style: Style): string {
  const hints: Line[] = [];
  if (!options.verbose && report.accounts.length > 0) {
    hints.push({
      text:
        problems > 0
          ? 'Every gap and reason of every account: --verbose, or --format json.'
          : 'Every account with its mechanisms: --verbose.',
    });
  }
  const { status, text } = headline(report);
  if (status === 'FAIL') hints.push({ text: `Exit code 1: ${text}.` });
  else if (status === 'INCOMPLETE') {
    hints.push({ text: 'Exit code 3: the audit is incomplete; the unknown accounts say what is missing.' });
  }
  return hints.length > 0
    ? block(
        hints.map((h) => ({ ...h, paint: style.c.dim })),
        style.width,
      )
    : '';
}

/** The account's sign-in evidence and, when evidence changed the verdict, what the policies alone said. */
function evidenceLines(account: AccountResult, c: ChalkInstance): Line[] {
  const lines: Line[] = [];
  const evidence = evidenceText(account);
  if (evidence) lines.push({ text: evidence, paint: account.evidence?.singleFactor.count ? c.yellow : c.dim });
  const engine = engineVerdictText(account);
  if (engine) lines.push({ text: engine, paint: c.dim });
  return lines;
}

function confirmationPaint(text: string, c: ChalkInstance): ChalkInstance {
  return text.startsWith('DISPUTED') ? c.yellow.bold : text.startsWith('confirmed') ? c.red : c.dim;
}

/** The UPN (never cut short), then roles and partner agent groups. */
function accountLines(account: AccountResult, c: ChalkInstance): Line[] {
  const lines: Line[] = [{ text: account.userPrincipalName || account.id }];
  const extra = standing(account);
  if (extra) lines.push({ text: extra, paint: c.dim });
  return lines;
}

/** Wide enough for the longest UPN shown (so most fit on one line), but never more than `share` of the width. */
function accountColumnWidth(accounts: AccountResult[], style: Style, share: number): number {
  const longest = accounts.reduce((max, a) => Math.max(max, (a.userPrincipalName || a.id).length), 'account'.length);
  return Math.min(longest + padding(style), Math.floor(style.width * share));
}

function kindColumnWidth(accounts: AccountResult[], style: Style): number {
  return accounts.reduce((max, a) => Math.max(max, a.kind.length), 'kind'.length) + padding(style);
}

/**
 * The given widths plus the last column, which takes what is left (borders and separators included). On a narrow
 * terminal the first (account) column gives up room first, so the text column stays readable.
 */
function columnWidths(style: Style, widths: number[]): number[] {
  const separators = style.color ? widths.length + 2 : widths.length * PLAIN_CHARS.middle.length;
  const fixed = [...widths];
  const rest = (): number => style.width - fixed.reduce((sum, w) => sum + w, 0) - separators;
  const minimumRest = 24;
  if (rest() < minimumRest && fixed.length > 1) fixed[0] = Math.max(fixed[0]! - (minimumRest - rest()), 14);
  return [...fixed, Math.max(rest(), 12)];
}

function padding(style: Style): number {
  return style.color ? 2 : 0;
}

/** A cell's text, wrapped to the column's inner width and painted line by line. */
function cell(lines: Line[], columnWidth: number, style: Style): string {
  return block(lines, columnWidth - padding(style));
}

function newTable(style: Style, options: Table.TableConstructorOptions, compact = false): Table.Table {
  const pad = padding(style) / 2;
  return new Table({
    ...options,
    wordWrap: false,
    head: (options.head ?? []).map((h, i) => {
      const width = options.colWidths?.[i];
      return typeof width === 'number'
        ? block([{ text: h, paint: style.c.bold }], width - padding(style))
        : style.c.bold(h);
    }),
    style: { head: [], border: [], 'padding-left': pad, 'padding-right': pad, compact },
    ...(style.color ? {} : { chars: PLAIN_CHARS }),
  });
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
