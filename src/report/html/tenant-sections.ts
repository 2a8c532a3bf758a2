/**
 * The server-rendered sections of the tenant HTML report: they read without JavaScript (summary and counts,
 * findings, what was not decided or collected, Partner Center impact, baseline). Every text from the report goes
 * through escapeHtml: UPNs, display names and policy names are chosen by whoever controls the account or policy.
 */
import type { AccountResult, TenantReport } from '../../core/tenant/types.js';
import { escapeHtml as e } from '../escape.js';
import { signInsText, whatIfText } from '../evidence-text.js';
import {
  VERDICTS,
  countByKind,
  headline,
  partnerCenterImpacts,
  plural,
  sortFindings,
  sourceLine,
} from '../tenant/wording.js';
import { badge } from './page.js';

const HEADLINE_CLASS = { FAIL: 'v-fail', INCOMPLETE: 'v-unknown', ACCEPTED: 'v-unknown', PASS: 'v-pass' } as const;
const HEADLINE_STATUS = { FAIL: 'fail', INCOMPLETE: 'unknown', ACCEPTED: 'unknown', PASS: 'pass' } as const;

/** The sections the page links to from its top, in page order. */
const SECTIONS = [
  ['summary', 'Summary'],
  ['fixes', 'Fix these first'],
  ['coverage', 'Coverage map'],
  ['accounts', 'Accounts'],
  ['findings', 'Findings'],
  ['not-collected', 'Not decided or not collected'],
] as const;

export function titleAndNav(report: TenantReport): string {
  const meta = [
    `Generated ${report.generatedAt}${report.source ? ` from ${sourceLine(report)}` : ''}.`,
    whatIfText(report),
    signInsText(report),
  ].filter((line) => line !== '');
  const links = SECTIONS.map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`).join('');
  return (
    '<a class="skip" href="#accounts">Skip to the accounts</a>\n<header>\n' +
    `<h1>MFA audit of tenant <span class="mono">${e(report.tenantId)}</span></h1>\n` +
    meta.map((line) => `<p class="muted">${e(line)}</p>\n`).join('') +
    `<nav aria-label="Sections"><ul>${links}</ul></nav>\n</header>\n<main>\n`
  );
}

/** The verdict in words (what the exit code says), then the counts per kind. */
export function summarySection(report: TenantReport): string {
  const { status, text } = headline(report);
  const header = ['kind', 'accounts', ...VERDICTS]
    .map((label, i) => `<th scope="col"${i > 0 ? ' class="num"' : ''}>${label}</th>`)
    .join('');
  const rows = countByKind(report).map(
    ({ kind, counts }) =>
      `<tr><th scope="row">${e(kind)}</th><td class="num">${counts.accounts}</td>` +
      VERDICTS.map((v) => `<td class="num">${counts[v]}</td>`).join('') +
      '</tr>',
  );
  const s = report.summary;
  rows.push(
    `<tr><th scope="row">total</th><td class="num"><strong>${s.accounts}</strong></td>` +
      VERDICTS.map((v) => `<td class="num"><strong>${s[v]}</strong></td>`).join('') +
      '</tr>',
  );
  const accepted = s.accepted ? `<p>${s.accepted} failing or unknown accounts are accepted by the baseline.</p>` : '';
  return (
    '<section id="summary" aria-labelledby="summary-h">\n<h2 id="summary-h">Summary</h2>\n' +
    `<p class="verdict ${HEADLINE_CLASS[status]}" id="verdict">${badge(HEADLINE_STATUS[status], status)} ` +
    `${e(text)}.</p>\n` +
    `<div class="scroll"><table aria-label="Verdicts per kind of account"><thead><tr>${header}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div>\n${accepted}</section>\n`
  );
}

export function findingsSection(report: TenantReport): string {
  const findings = sortFindings(report.findings);
  const items = findings.map(
    (finding) =>
      `<li>${badge(severityStatus(finding.severity), finding.severity)} ${e(finding.message)} ` +
      `<span class="mono muted">${e(finding.id)}</span></li>`,
  );
  const body = items.length > 0 ? `<ul>${items.join('\n')}</ul>` : '<p>No findings.</p>';
  return (
    `<section id="findings" aria-labelledby="findings-h">\n<h2 id="findings-h">Findings (${findings.length})</h2>\n` +
    `${body}\n${impactList(report.accounts)}</section>\n`
  );
}

function severityStatus(severity: string): string {
  return severity === 'high' ? 'fail' : severity === 'medium' ? 'warn' : 'skip';
}

function impactList(accounts: readonly AccountResult[]): string {
  const impacts = partnerCenterImpacts(accounts.filter((a) => a.verdict === 'fail'));
  if (impacts.length === 0) return '';
  return (
    '<h3>What failing accounts lose in Partner Center</h3>\n' +
    `<ul>${impacts.map((impact) => `<li>${e(impact)}</li>`).join('')}</ul>\n`
  );
}

/** How many distinct reasons of undecided accounts are listed, at most. */
const REASON_LIMIT = 30;

/**
 * What kept accounts undecided (their reasons, counted) and which kinds of evidence were not collected: the reader
 * must act on these to turn `unknown` into a verdict.
 */
export function notCollectedSection(report: TenantReport): string {
  const counts = new Map<string, number>();
  for (const account of report.accounts) {
    if (account.verdict !== 'unknown') continue;
    for (const reason of account.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const reasons = [...counts].sort((a, b) => b[1] - a[1]).slice(0, REASON_LIMIT);
  const items = reasons.map(
    ([reason, count]) => `<li><strong>${count} ${plural(count, 'account')}:</strong> ${e(reason)}</li>`,
  );
  if (counts.size > reasons.length) items.push(`<li>… and ${counts.size - reasons.length} more distinct reasons.</li>`);
  // The collection's own notes: each Graph key that was not collected, and the permission it needs.
  const evidence = report.findings.filter((f) => f.id === 'data-not-collected').map((f) => f.message);
  if (!report.whatIf)
    evidence.push("Conditional Access What If answers: not collected (the engine's gaps are unconfirmed).");
  if (!report.signIns) evidence.push('Sign-in logs: not collected (no evidence of single-factor sign-ins).');
  else if (report.signIns.truncated) evidence.push('Sign-in logs: collection stopped early; evidence is partial.');
  return (
    '<section id="not-collected" aria-labelledby="not-collected-h">\n' +
    '<h2 id="not-collected-h">Not decided or not collected</h2>\n' +
    (items.length > 0
      ? `<p>${report.summary.unknown} ${plural(report.summary.unknown, 'account')} could not be decided:</p>\n<ul>${items.join('\n')}</ul>\n`
      : '<p>Every account was decided.</p>\n') +
    (evidence.length > 0 ? `<ul>${evidence.map((line) => `<li>${e(line)}</li>`).join('')}</ul>\n` : '') +
    '</section>\n'
  );
}

export function baselineSection(report: TenantReport): string {
  const baseline = report.baseline;
  if (!baseline) return '';
  const items = [
    baseline.strict
      ? '--strict: the baseline was read and ignored; nothing is accepted.'
      : `${baseline.accepted} ${plural(baseline.accepted, 'account')} accepted by a current entry.`,
    ...baseline.expired.map(
      (entry) => `expired: ${entry.account ?? entry.subject ?? '?'} (owner ${entry.owner}, expired ${entry.expires})`,
    ),
    ...baseline.unused.map(
      (entry) => `unused, delete it: ${entry.account ?? entry.subject ?? '?'} (owner ${entry.owner})`,
    ),
  ];
  return (
    `<section id="baseline" aria-labelledby="baseline-h">\n<h2 id="baseline-h">Baseline${baseline.path ? ` <span class="mono">${e(baseline.path)}</span>` : ''}</h2>\n` +
    `<ul>${items.map((item) => `<li>${e(item)}</li>`).join('')}</ul>\n</section>\n`
  );
}
