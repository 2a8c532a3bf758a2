/** Words shared by the change reports (table, markdown, CSV, JUnit, SARIF): one phrasing of each change. */
import type { AccountRef, ChangeReport, GapChange, ObjectChange, VerdictChange } from '../../core/plan/types.js';
import { KIND_WORDS } from '../../core/plan/objects.js';

/** At most this many entries per list without --verbose (a pull-request comment must stay short). */
const LIST_LIMIT = 50;

export function headline(change: ChangeReport): { status: 'REGRESSION' | 'CHANGED' | 'NO CHANGE'; text: string } {
  const s = change.summary;
  const what = change.command === 'plan' ? 'the proposed change' : 'the new state';
  if (s.regression) {
    const parts = [
      s.gapsOpened > 0 && `opens ${count(s.gapsOpened, 'gap')}`,
      s.regressions > 0 && `turns ${count(s.regressions, 'account')} from pass to fail or unknown`,
      s.accountsAdded > 0 && `adds ${count(s.accountsAdded, 'account')} without MFA coverage`,
    ].filter((p): p is string => typeof p === 'string');
    return { status: 'REGRESSION', text: `${what} ${parts.join(', ')}` };
  }
  const any =
    s.verdictChanges + s.gapsClosed + s.findingsAdded + s.findingsRemoved + s.objectChanges + s.accountsRemoved;
  if (any > 0) return { status: 'CHANGED', text: `${what} opens no gap and turns no account from pass` };
  return { status: 'NO CHANGE', text: `${what} changes nothing mfa-audit can see` };
}

export function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function accountLabel(a: AccountRef): string {
  return a.userPrincipalName || a.displayName || a.id;
}

export function verdictLine(c: VerdictChange): string {
  const why = c.gaps[0]?.description ?? c.reasons[0] ?? '';
  return `${accountLabel(c)} (${c.kind}): ${c.from} → ${c.to}${why ? `: ${why}` : ''}`;
}

export function gapLine(g: GapChange, max = 5): string {
  const shown = g.accounts.slice(0, max).map(accountLabel).join(', ');
  const more = g.accounts.length > max ? ` and ${g.accounts.length - max} more` : '';
  const policies = g.policyIds.length ? `; policies: ${g.policyIds.join(', ')}` : '';
  return `${g.description} — ${count(g.accounts.length, 'account')}: ${shown}${more}${policies}`;
}

function shortJson(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function objectLine(o: ObjectChange): string {
  const where = o.source ? ` (${o.source.file}:${o.source.line})` : '';
  return `${KIND_WORDS[o.kind]} '${o.name}' [${o.id}] ${o.change}${where}`;
}

export function fieldLines(o: ObjectChange): string[] {
  const lines = o.fields.map((f) => `${f.path}: ${shortJson(f.before)} → ${shortJson(f.after)}`);
  for (const u of o.unmodelled ?? []) lines.push(`not modelled (read fail-closed): ${u}`);
  return lines;
}

/** The first `limit` entries and how many are left out. */
export function capped<T>(list: readonly T[], verbose: boolean): { shown: readonly T[]; more: number } {
  if (verbose || list.length <= LIST_LIMIT) return { shown: list, more: 0 };
  return { shown: list.slice(0, LIST_LIMIT), more: list.length - LIST_LIMIT };
}
