import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { CheckStatus, TokenReport, TokenVerdict } from '../../core/token/types.js';
import type { RenderOptions } from '../types.js';
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

/** The human view: per token a verdict line, the checks, Partner Center's answer, warnings and the claims explained. */
export function renderTokenTable(report: TokenReport, options: RenderOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const width = Math.max(60, Math.min(options.width ?? 100, 160));
  const paint: Record<CheckStatus | TokenVerdict, (s: string) => string> = {
    pass: chalk.green,
    fail: chalk.red.bold,
    warn: chalk.yellow,
    skip: chalk.dim,
    unknown: chalk.magenta,
  };
  const table = (head: string[], colWidths: number[]) =>
    new Table({
      head: head.map((h) => chalk.bold(h)),
      colWidths,
      wordWrap: true,
      wrapOnWordBoundary: true,
      style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
      // No rule between rows: compact, and still aligned.
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
  /** Hard-wrap a value (GUIDs and URLs have no spaces) so nothing is cut off. */
  const hardWrap = (text: string, size: number) => (text.match(new RegExp(`.{1,${size}}`, 'gsu')) ?? ['']).join('\n');

  const out: string[] = [];
  for (const result of report.results) {
    out.push(
      `${chalk.bold(tokenTitle(result))}: ${paint[result.verdict](verdictLabel(result))}  ` +
        chalk.dim(`${kindLabel(result)}, ${versionLabel(result)}, ${signatureLabel(result)}`),
    );
    const note = acceptanceNote(result);
    if (note) out.push(chalk.cyan(printable(note)));
    const checks = table(['check', 'status', 'detail'], [11, 10, width - 11 - 10 - 4]);
    for (const check of result.checks) {
      checks.push([check.id, paint[check.status](STATUS_LABEL[check.status]), printable(check.message)]);
    }
    out.push(checks.toString());
    if (result.partnerCenter) out.push(`Partner Center would answer: ${printable(result.partnerCenter)}`);
    for (const warning of result.warnings ?? []) out.push(chalk.yellow(`! ${printable(warning)}`));
    if (result.explanation && result.explanation.length > 0) {
      const valueWidth = Math.min(40, Math.floor((width - 16 - 4) * 0.5));
      const rows = table(['claim', 'value', 'meaning'], [16, valueWidth, width - 16 - valueWidth - 4]);
      for (const row of result.explanation) {
        rows.push([printable(row.claim), hardWrap(valueText(row.value, 120), valueWidth - 2), printable(row.meaning)]);
      }
      out.push(rows.toString());
    }
    out.push('');
  }
  if (report.results.some((r) => r.explanation === undefined)) {
    out.push(chalk.dim('(claims are explained with --verbose, or when at most 3 tokens are checked)'));
  }
  const baseline = baselineLines(report);
  if (baseline.length > 0) {
    const linePaint = { count: (s: string) => s, expired: chalk.red, unused: chalk.dim };
    out.push(chalk.bold(`Baseline${report.baseline?.path ? ` ${printable(report.baseline.path)}` : ''}`));
    for (const line of baseline) out.push(`  ${linePaint[line.kind](printable(line.text))}`);
    out.push('');
  }
  out.push(summaryLine(report));
  return out.join('\n') + '\n';
}
