/**
 * The change as CSV, one row per change: `section` says which list (verdict, gap-opened, gap-closed, account-added,
 * account-removed, finding-added, finding-removed, object), then what it is about and the change in words.
 */
import type { PlanResult } from '../../core/plan/types.js';
import { csvCell } from '../csv.js';
import type { RenderOptions } from '../types.js';
import { accountLabel, fieldLines } from './wording.js';

const HEADER = ['section', 'id', 'name', 'from', 'to', 'detail', 'policyIds'];

export function renderChangeCsv(result: PlanResult, _options?: RenderOptions): string {
  const { change } = result;
  const rows: unknown[][] = [HEADER];
  for (const c of change.verdictChanges) {
    rows.push(['verdict', c.id, accountLabel(c), c.from, c.to, c.gaps[0]?.description ?? c.reasons[0] ?? '', '']);
  }
  for (const [section, gaps] of [
    ['gap-opened', change.gapsOpened],
    ['gap-closed', change.gapsClosed],
  ] as const) {
    for (const g of gaps) {
      for (const a of g.accounts)
        rows.push([section, a.id, accountLabel(a), '', '', g.description, g.policyIds.join(' ')]);
    }
  }
  for (const c of change.accountsAdded)
    rows.push(['account-added', c.id, accountLabel(c), '', c.to, c.reasons[0] ?? '', '']);
  for (const a of change.accountsRemoved) rows.push(['account-removed', a.id, accountLabel(a), '', '', '', '']);
  for (const f of change.findingsAdded)
    rows.push(['finding-added', f.id, f.severity, '', '', f.message, (f.policyIds ?? []).join(' ')]);
  for (const f of change.findingsRemoved) {
    rows.push(['finding-removed', f.id, f.severity, '', '', f.message, (f.policyIds ?? []).join(' ')]);
  }
  for (const o of change.objectChanges)
    rows.push(['object', o.id, o.name, o.kind, o.change, fieldLines(o).join('; '), '']);
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
