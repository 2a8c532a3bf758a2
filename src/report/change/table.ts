/** The change for a person at a terminal: the verdict of the change, then each list; the proposed state after it. */
import type { PlanResult } from '../../core/plan/types.js';
import { renderTenantTable } from '../tenant/table.js';
import { printable } from '../tenant/wording.js';
import type { RenderOptions } from '../types.js';
import { capped, count, fieldLines, gapLine, headline, objectLine, verdictLine } from './wording.js';

function section<T>(title: string, list: readonly T[], line: (t: T) => string[], verbose: boolean): string[] {
  if (list.length === 0) return [];
  const { shown, more } = capped(list, verbose);
  const out = ['', `${title} (${list.length})`];
  for (const item of shown) {
    const [first, ...rest] = line(item);
    out.push(`  - ${first}`, ...rest.map((r) => `      ${r}`));
  }
  if (more > 0) out.push(`  … and ${more} more (--verbose lists them all)`);
  return out;
}

export function renderChangeTable(result: PlanResult, options: RenderOptions): string {
  const { change } = result;
  const { status, text } = headline(change);
  const v = options.verbose;
  const lines = [
    `mfa-audit ${change.command}: tenant ${change.tenantId}: ${change.before.label} → ${change.after.label}`,
    `${status}: ${text}.`,
    ...section('Policy changes', change.objectChanges, (o) => [objectLine(o), ...fieldLines(o)], v),
    ...(change.objectChangesNote ? ['', change.objectChangesNote] : []),
    ...section('Verdict changes', change.verdictChanges, (c) => [verdictLine(c)], v),
    ...section('Gaps opened', change.gapsOpened, (g) => [gapLine(g)], v),
    ...section('Gaps closed', change.gapsClosed, (g) => [gapLine(g)], v),
    ...section('New accounts without MFA coverage', change.accountsAdded, (c) => [verdictLine(c)], v),
    ...section('Accounts removed', change.accountsRemoved, (a) => [a.userPrincipalName || a.id], v),
    ...section('Findings added', change.findingsAdded, (f) => [`[${f.severity}] ${f.message}`], v),
    ...section('Findings removed', change.findingsRemoved, (f) => [`[${f.severity}] ${f.message}`], v),
    ...change.notes.map((n) => `note: ${n}`),
    '',
    `${count(change.summary.verdictChanges, 'verdict change')}, ${count(change.summary.gapsOpened, 'gap')} opened, ` +
      `${change.summary.gapsClosed} closed.`,
  ];
  let out = printable(lines.join('\n')) + '\n';
  if (result.proposed) out += '\nProposed state:\n' + renderTenantTable(result.proposed, options);
  return out;
}
