/** The labels of the human token reports (table, Markdown): statuses, kinds, versions, signatures, claim values. */
import type { CheckStatus, TokenReport, TokenResult } from '../../core/token/types.js';
import { escapeUnsafe } from '../escape.js';
import { acceptanceNote } from '../result-text.js';

export { acceptanceNote };

export const STATUS_LABEL: Readonly<Record<CheckStatus, string>> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  skip: 'skip',
  unknown: 'UNKNOWN',
};

export function kindLabel(result: TokenResult): string {
  return result.kind === 'app+user' ? 'App+User' : 'App-only';
}

export function versionLabel(result: TokenResult): string {
  const ver = result.claims.ver;
  return typeof ver === 'string' ? `v${valueText(ver, 12)}` : 'version unknown';
}

/** Never let "decoded" read as "verified". */
export function signatureLabel(result: TokenResult): string {
  const check = result.checks.find((c) => c.id === 'signature');
  if (!check || check.status === 'skip') return 'signature not verified (decoded only)';
  if (check.status === 'pass') return 'signature verified';
  if (check.status === 'fail') return 'signature INVALID';
  return 'signature not verified';
}

export function tokenTitle(result: TokenResult): string {
  return printable(`Token ${result.index + 1}${result.source ? ` (${result.source})` : ''}`);
}

/** A claim value as short text. */
export function valueText(value: unknown, max = 80): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (Array.isArray(value)) text = value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  else text = JSON.stringify(value) ?? String(value);
  text = printable(text);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The verdict in capitals; a failing or unknown token a current baseline entry accepts says so ("FAIL (accepted)"):
 * the verdict never changes, but the gate looks past it.
 */
export function verdictLabel(result: TokenResult): string {
  const verdict = result.verdict.toUpperCase();
  return result.accepted ? `${verdict} (accepted)` : verdict;
}

export function summaryLine(report: TokenReport): string {
  const count = (v: string) => report.results.filter((r) => r.verdict === v).length;
  const accepted = (v: string) => report.results.filter((r) => r.verdict === v && r.accepted).length;
  const counted = (v: string) => {
    const n = accepted(v);
    return `${count(v)} ${v}${n > 0 ? ` (${n} accepted by the baseline)` : ''}`;
  };
  const n = report.results.length;
  const verified = report.verify
    ? 'signatures checked with --verify'
    : 'signatures not verified: decoded only (use --verify)';
  return `${n} token${n === 1 ? '' : 's'}: ${count('pass')} pass, ${counted('fail')}, ${counted('unknown')}; ${verified}`;
}

/** A baseline section's lines (--baseline given): how many tokens it accepts, its expired and unused entries. */
export function baselineLines(report: TokenReport): { kind: 'count' | 'expired' | 'unused'; text: string }[] {
  const baseline = report.baseline;
  if (!baseline) return [];
  const lines: { kind: 'count' | 'expired' | 'unused'; text: string }[] = [
    {
      kind: 'count',
      text: baseline.strict
        ? '--strict: the baseline was read and ignored; nothing is accepted.'
        : `${baseline.accepted} token${baseline.accepted === 1 ? '' : 's'} accepted by a current entry.`,
    },
  ];
  for (const entry of baseline.expired) {
    const who = entry.subject ?? entry.account ?? '?';
    lines.push({ kind: 'expired', text: `expired: ${who} (owner ${entry.owner}, expired ${entry.expires})` });
  }
  for (const entry of baseline.unused) {
    lines.push({
      kind: 'unused',
      text: `unused, delete it: ${entry.subject ?? entry.account ?? '?'} (owner ${entry.owner})`,
    });
  }
  return lines;
}

/**
 * Claims are the token author's text: every control character (tab and newlines too, since token labels are one
 * line) and bidi control is shown as \uXXXX; plain text is returned as it is.
 */
export function printable(text: string): string {
  return escapeUnsafe(text);
}
