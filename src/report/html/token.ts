/**
 * The token report as one self-contained HTML page, without any script: the summary, then one card per token with
 * its checks, what Partner Center would answer, its warnings and its claims explained. Claims are the token
 * author's text: every value is escaped (escapeHtml), and the token itself is never in the report.
 */
import type { CheckId, TokenReport, TokenResult } from '../../core/token/types.js';
import { escapeHtml as e } from '../escape.js';
import { CHECK_ORDER, tokenSubject } from '../result-text.js';
import {
  STATUS_LABEL,
  acceptanceNote,
  baselineLines,
  kindLabel,
  signatureLabel,
  summaryLine,
  tokenTitle,
  valueText,
  versionLabel,
} from '../token/labels.js';
import type { RenderOptions } from '../types.js';
import { badge, pageEnd, pageHead } from './page.js';

function rank(id: CheckId): number {
  const index = CHECK_ORDER.indexOf(id);
  return index === -1 ? CHECK_ORDER.length : index;
}

function checksTable(result: TokenResult): string {
  const rows = [...result.checks]
    .sort((a, b) => rank(a.id) - rank(b.id))
    .map(
      (check) =>
        `<tr><th scope="row" class="mono">${e(check.id)}</th><td>${badge(check.status, STATUS_LABEL[check.status])}</td>` +
        `<td>${e(check.message)}</td></tr>`,
    );
  return (
    '<table aria-label="Checks"><thead><tr><th scope="col">check</th><th scope="col">status</th>' +
    `<th scope="col">detail</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`
  );
}

function claimsTable(result: TokenResult): string {
  const rows = (result.explanation ?? []).map(
    (row) =>
      `<tr><th scope="row" class="mono">${e(row.claim)}</th><td class="mono">${e(valueText(row.value))}</td>` +
      `<td>${e(row.meaning)}</td></tr>`,
  );
  if (rows.length === 0) return '';
  return (
    '<details><summary>Claims explained</summary>\n<div class="scroll"><table aria-label="Claims explained"><thead>' +
    '<tr><th scope="col">claim</th><th scope="col">value</th><th scope="col">meaning</th></tr></thead>' +
    `<tbody>${rows.join('\n')}</tbody></table></div></details>`
  );
}

function card(result: TokenResult): string {
  const title = tokenTitle(result);
  const id = `token-${result.index + 1}`;
  const note = acceptanceNote(result);
  const warnings = result.warnings ?? [];
  return (
    `<article class="card" id="${id}" aria-labelledby="${id}-h">\n` +
    `<h2 id="${id}-h">${e(title)} ${badge(result.verdict, result.accepted ? `${result.verdict.toUpperCase()} (accepted)` : undefined)}</h2>\n` +
    `<p>${e(tokenSubject(result))}: ${e(kindLabel(result))}, ${e(versionLabel(result))}, ${e(signatureLabel(result))}.</p>\n` +
    (result.partnerCenter ? `<p><strong>Partner Center would answer:</strong> ${e(result.partnerCenter)}</p>\n` : '') +
    (note ? `<p><em>${e(note)}</em></p>\n` : '') +
    `<div class="scroll">${checksTable(result)}</div>\n` +
    (warnings.length > 0 ? `<h3>Warnings</h3><ul>${warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul>\n` : '') +
    `${claimsTable(result)}\n</article>\n`
  );
}

function baselineSection(report: TokenReport): string {
  const lines = baselineLines(report);
  if (lines.length === 0) return '';
  const items = lines.map(
    (line) => `<li>${line.kind === 'expired' ? `<strong>${e(line.text)}</strong>` : e(line.text)}</li>`,
  );
  const path = report.baseline?.path;
  return `<section aria-labelledby="baseline-h"><h2 id="baseline-h">Baseline${path ? ` <span class="mono">${e(path)}</span>` : ''}</h2><ul>${items.join('')}</ul></section>\n`;
}

export function renderTokenHtml(report: TokenReport, options: RenderOptions): string {
  const evaluated = (report.evaluatedAt ?? options.now.toISOString()).replace('.000Z', 'Z');
  const failing = report.results.some((r) => r.verdict === 'fail' && !r.accepted);
  const unknown = report.results.some((r) => r.verdict === 'unknown' && !r.accepted);
  const status = failing ? 'fail' : unknown ? 'unknown' : 'pass';
  return (
    pageHead('mfa-audit: token report') +
    '<header>\n<h1>mfa-audit: token report</h1>\n' +
    `<p class="muted">Profile <span class="mono">${e(report.profile ?? 'partner-center')}</span>, evaluated at ${e(evaluated)}.</p>\n` +
    '</header>\n<main>\n' +
    `<p class="verdict v-${status}" id="verdict">${badge(status)} ${e(summaryLine(report))}</p>\n` +
    report.results.map(card).join('') +
    baselineSection(report) +
    '</main>\n' +
    pageEnd()
  );
}
