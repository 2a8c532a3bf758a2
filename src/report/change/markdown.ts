/**
 * The change as GitHub-flavoured Markdown, made for a pull-request comment: what the change does first (gaps opened,
 * accounts turned from pass), then every list, then the proposed state's own report.
 */
import type { ChangeReport, PlanResult } from '../../core/plan/types.js';
import { renderTenantMarkdown } from '../tenant/markdown.js';
import { printable } from '../tenant/wording.js';
import type { RenderOptions } from '../types.js';
import { capped, fieldLines, gapLine, headline, objectLine, verdictLine } from './wording.js';

const ICONS = { REGRESSION: '❌', CHANGED: '✅', 'NO CHANGE': '✅' } as const;

/** Markdown's own characters, escaped so names from the tenant cannot format the comment. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+!|~]/g, (c) => `\\${c}`);
}

function list<T>(title: string, items: readonly T[], line: (t: T) => string[], verbose: boolean): string {
  if (items.length === 0) return '';
  const { shown, more } = capped(items, verbose);
  const rows = shown.map((item) => {
    const [first, ...rest] = line(item);
    return [`- ${escape(first ?? '')}`, ...rest.map((r) => `  - \`${r.replace(/`/g, "'")}\``)].join('\n');
  });
  if (more > 0) rows.push(`- … and ${more} more`);
  return `### ${title} (${items.length})\n\n${rows.join('\n')}`;
}

function summaryTable(change: ChangeReport): string {
  const s = change.summary;
  return [
    '| change | count |',
    '| --- | ---: |',
    `| accounts from pass to fail or unknown | ${s.regressions} |`,
    `| verdict changes | ${s.verdictChanges} |`,
    `| gaps opened | ${s.gapsOpened} |`,
    `| gaps closed | ${s.gapsClosed} |`,
    `| findings added / removed | ${s.findingsAdded} / ${s.findingsRemoved} |`,
    `| policy objects changed | ${s.objectChanges} |`,
  ].join('\n');
}

export function renderChangeMarkdown(result: PlanResult, options: RenderOptions): string {
  const { change } = result;
  const { status, text } = headline(change);
  const v = options.verbose;
  const sections = [
    `## mfa-audit ${change.command}: tenant \`${change.tenantId.replace(/`/g, "'")}\``,
    `${ICONS[status]} **${status}**: ${escape(text)}.`,
    escape(`${change.before.label} → ${change.after.label}`),
    summaryTable(change),
    list('Gaps opened', change.gapsOpened, (g) => [gapLine(g)], v),
    list('Verdict changes', change.verdictChanges, (c) => [verdictLine(c)], v),
    list('New accounts without MFA coverage', change.accountsAdded, (c) => [verdictLine(c)], v),
    list('Gaps closed', change.gapsClosed, (g) => [gapLine(g)], v),
    list('Policy changes', change.objectChanges, (o) => [objectLine(o), ...fieldLines(o)], v),
    change.objectChangesNote ? escape(change.objectChangesNote) : '',
    list('Findings added', change.findingsAdded, (f) => [`${f.severity}: ${f.message}`], v),
    list('Findings removed', change.findingsRemoved, (f) => [`${f.severity}: ${f.message}`], v),
    list('Accounts removed', change.accountsRemoved, (a) => [a.userPrincipalName || a.id], v),
    change.notes.map((n) => `> ${escape(n)}`).join('\n'),
  ];
  let out = printable(sections.filter((s) => s !== '').join('\n\n')) + '\n';
  if (result.proposed) {
    out += '\n<details><summary>Proposed state</summary>\n\n' + renderTenantMarkdown(result.proposed, options);
    out += '\n</details>\n';
  }
  return out;
}
