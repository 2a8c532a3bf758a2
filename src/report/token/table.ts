/**
 * The token report for people: per token a verdict line, the checks, Partner Center's answer, warnings and the claims
 * explained. On a terminal (colour on) the tables are boxed and coloured; anywhere else, or with NO_COLOR or
 * --no-color, they are plain aligned text, as in the tenant table.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { CheckStatus, TokenReport, TokenResult, TokenVerdict } from '../../core/token/types.js';
import type { RenderOptions } from '../types.js';
import type { Cell, ColumnStyle } from './columns.js';
import { columnOverhead, renderColumns } from './columns.js';
import {
  STATUS_LABEL,
  acceptanceNote,
  baselineLines,
  kindLabel,
  printable,
  signatureLabel,
  summaryLine,
  tokenTitle,
  valueText,
  verdictLabel,
  versionLabel,
} from './labels.js';

const DEFAULT_WIDTH = 100;
const MIN_WIDTH = 60;
const MAX_WIDTH = 160;
/** Text widths of the fixed columns: the longest check id ('signature') and status ('UNKNOWN', with room). */
const CHECK_WIDTH = 9;
const STATUS_WIDTH = 8;
const CLAIM_WIDTH = 14;
const VALUE_MAX_WIDTH = 38;

interface Layout {
  c: ChalkInstance;
  paint: Record<CheckStatus | TokenVerdict, (s: string) => string>;
  columns: ColumnStyle;
  width: number;
}

export function renderTokenTable(report: TokenReport, options: RenderOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const layout: Layout = {
    c,
    paint: {
      pass: memo(c.green),
      fail: memo(c.red.bold),
      warn: memo(c.yellow),
      skip: memo(c.dim),
      unknown: memo(c.magenta),
    },
    // Colour is on only for a table on a terminal; that is also where box drawing belongs.
    columns: { boxes: options.color, head: c.bold },
    width: Math.max(MIN_WIDTH, Math.min(options.width ?? DEFAULT_WIDTH, MAX_WIDTH)),
  };
  const out: string[] = [];
  for (const result of report.results) out.push(...tokenSection(result, layout), '');
  if (report.results.some((r) => r.explanation === undefined)) {
    out.push(c.dim('(claims are explained with --verbose, or when at most 3 tokens are checked)'));
  }
  const baseline = baselineLines(report);
  if (baseline.length > 0) {
    const linePaint = { count: (s: string) => s, expired: c.red, unused: c.dim };
    out.push(c.bold(`Baseline${report.baseline?.path ? ` ${printable(report.baseline.path)}` : ''}`));
    for (const line of baseline) out.push(`  ${linePaint[line.kind](printable(line.text))}`);
    out.push('');
  }
  out.push(summaryLine(report));
  return out.join('\n') + '\n';
}

function tokenSection(result: TokenResult, layout: Layout): string[] {
  const { c, paint } = layout;
  const out = [
    `${c.bold(tokenTitle(result))}: ${paint[result.verdict](verdictLabel(result))}  ` +
      c.dim(`${kindLabel(result)}, ${versionLabel(result)}, ${signatureLabel(result)}`),
  ];
  const note = acceptanceNote(result);
  if (note) out.push(c.cyan(printable(note)));
  out.push(checksTable(result, layout));
  if (result.partnerCenter) out.push(`Partner Center would answer: ${printable(result.partnerCenter)}`);
  for (const warning of result.warnings ?? []) out.push(c.yellow(`! ${printable(warning)}`));
  if (result.explanation && result.explanation.length > 0) out.push(claimsTable(result, layout));
  return out;
}

/** A paint for the few fixed words of a status column, each painted once rather than once per token. */
function memo(paint: (text: string) => string): (text: string) => string {
  const painted = new Map<string, string>();
  return (text) => {
    let result = painted.get(text);
    if (result === undefined) painted.set(text, (result = paint(text)));
    return result;
  };
}

function checksTable(result: TokenResult, layout: Layout): string {
  const detail = layout.width - columnOverhead(3, layout.columns.boxes) - CHECK_WIDTH - STATUS_WIDTH;
  const rows: Cell[][] = result.checks.map((check) => [
    { text: check.id },
    { text: STATUS_LABEL[check.status], paint: layout.paint[check.status] },
    { text: printable(check.message) },
  ]);
  return renderColumns(['check', 'status', 'detail'], rows, [CHECK_WIDTH, STATUS_WIDTH, detail], layout.columns);
}

function claimsTable(result: TokenResult, layout: Layout): string {
  const text = layout.width - columnOverhead(3, layout.columns.boxes) - CLAIM_WIDTH;
  const value = Math.min(VALUE_MAX_WIDTH, Math.floor(text / 2));
  const rows: Cell[][] = (result.explanation ?? []).map((row) => [
    { text: printable(row.claim) },
    // GUIDs and URLs have no spaces: broken at the column's edge, and never cut off.
    { text: hardWrap(valueText(row.value, 120), value) },
    { text: printable(row.meaning) },
  ]);
  return renderColumns(['claim', 'value', 'meaning'], rows, [CLAIM_WIDTH, value, text - value], layout.columns);
}

function hardWrap(text: string, size: number): string {
  return (text.match(new RegExp(`.{1,${size}}`, 'gsu')) ?? ['']).join('\n');
}
