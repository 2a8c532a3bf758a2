import type { CheckId, TokenReport } from '../../core/token/types.js';
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

const CHECK_ORDER: CheckId[] = ['mfa', 'app-user', 'audience', 'scope', 'lifetime', 'signature'];

function cell(text: string): string {
  return printable(text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' '));
}

/** A summary for $GITHUB_STEP_SUMMARY or a pull-request comment. */
export function renderTokenMarkdown(report: TokenReport, options: RenderOptions): string {
  const lines: string[] = ['# mfa-audit: token report', ''];
  lines.push(
    `Profile \`${report.profile ?? 'partner-center'}\`, evaluated at ${(report.evaluatedAt ?? options.now.toISOString()).replace('.000Z', 'Z')}.`,
    '',
    `**${cell(summaryLine(report))}**`,
    '',
    `| token | verdict | kind | ${CHECK_ORDER.join(' | ')} |`,
    `| --- | --- | --- | ${CHECK_ORDER.map(() => '---').join(' | ')} |`,
  );
  for (const result of report.results) {
    const statuses = CHECK_ORDER.map((id) => {
      const status = result.checks.find((c) => c.id === id)?.status;
      return status ? STATUS_LABEL[status] : '';
    });
    lines.push(
      `| ${cell(tokenTitle(result))} | **${result.verdict.toUpperCase()}**${result.accepted ? ' (accepted)' : ''} | ` +
        `${kindLabel(result)} | ${statuses.join(' | ')} |`,
    );
  }
  for (const result of report.results) {
    lines.push('', `## ${cell(tokenTitle(result))}: ${verdictLabel(result)}`, '');
    lines.push(`${kindLabel(result)}, ${versionLabel(result)}, ${signatureLabel(result)}.`, '');
    const note = acceptanceNote(result);
    if (note) lines.push(`_${emphasis(note)}_`, '');
    lines.push('| check | status | detail |', '| --- | --- | --- |');
    for (const check of result.checks) {
      lines.push(`| \`${check.id}\` | ${STATUS_LABEL[check.status]} | ${cell(check.message)} |`);
    }
    if (result.partnerCenter) lines.push('', `**Partner Center would answer:** ${cell(result.partnerCenter)}`);
    if (result.warnings && result.warnings.length > 0) {
      lines.push('', '**Warnings:**', '');
      for (const warning of result.warnings) lines.push(`- ${cell(warning)}`);
    }
    if (result.explanation && result.explanation.length > 0) {
      lines.push(
        '',
        '<details><summary>Claims explained</summary>',
        '',
        '| claim | value | meaning |',
        '| --- | --- | --- |',
      );
      for (const row of result.explanation) {
        lines.push(`| \`${row.claim}\` | ${cell(valueText(row.value))} | ${cell(row.meaning)} |`);
      }
      lines.push('', '</details>');
    }
  }
  lines.push(...baselineSection(report));
  return lines.join('\n') + '\n';
}

/** Text inside `_…_`: a cell's escaping, and the emphasis marks of the text itself escaped. */
function emphasis(text: string): string {
  return cell(text).replace(/[*_`[\]<>]/g, (ch) => `\\${ch}`);
}

function baselineSection(report: TokenReport): string[] {
  const lines = baselineLines(report);
  if (lines.length === 0) return [];
  const path = report.baseline?.path;
  const title = `### Baseline${path ? ` \`${path.replace(/\r?\n/g, ' ').replace(/`/g, "'").replace(/\|/g, '\\|')}\`` : ''}`;
  return [
    '',
    title,
    '',
    ...lines.map((line) => (line.kind === 'expired' ? `- **${emphasis(line.text)}**` : `- ${emphasis(line.text)}`)),
  ];
}
