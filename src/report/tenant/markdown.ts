/**
 * The tenant report as GitHub-flavoured Markdown, for `$GITHUB_STEP_SUMMARY` or a pull-request comment: the
 * verdict, counts per kind, the failing and unknown accounts with their first gap or reason, then the findings.
 * Without --verbose each account list is capped, so the summary stays far below GitHub's 1 MiB limit.
 */
import type { AccountResult, TenantReport } from '../../core/tenant/types.js';
import { sortAccounts } from '../account-order.js';
import { confirmationText, engineVerdictText, evidenceText, signInsText, whatIfText } from '../evidence-text.js';
import type { RenderOptions } from '../types.js';
import {
  SECTION_LIMIT,
  acceptanceNote,
  plural,
  VERDICTS,
  countByKind,
  firstProblem,
  groupByProblem,
  headline,
  moreProblems,
  partnerCenterImpacts,
  sortFindings,
  sourceLine,
  standing,
  printable,
} from './wording.js';

const ICONS = { FAIL: '❌', INCOMPLETE: '⚠️', ACCEPTED: '⚠️', PASS: '✅' } as const;

export function renderTenantMarkdown(report: TenantReport, options: RenderOptions): string {
  const accounts = sortAccounts(report.accounts);
  const failing = accounts.filter((a) => a.verdict === 'fail');
  const unknown = accounts.filter((a) => a.verdict === 'unknown');
  const { status, text } = headline(report);
  const sections = [
    `## MFA audit of tenant \`${code(report.tenantId)}\``,
    `${ICONS[status]} **${status}**: ${escape(text)}.`,
    escape(`Generated ${report.generatedAt}${report.source ? ` from ${sourceLine(report)}` : ''}.`),
    evidenceSummary(report),
    summaryTable(report),
    problemSection('Failing accounts', 'First sign-in that gets through without MFA', failing, options),
    problemSection('Unknown accounts', 'What is missing', unknown, options),
    findingsSection(report),
    impactSection(failing),
    baselineSection(report),
    options.verbose ? everyAccountSection(accounts) : '',
  ];
  // Markdown has no colour codes of its own, so the whole text can be made printable in one pass.
  return printable(sections.filter((section) => section !== '').join('\n\n')) + '\n';
}

function summaryTable(report: TenantReport): string {
  const rows = [
    `| kind | accounts | ${VERDICTS.join(' | ')} |`,
    `| --- | ---: | ${VERDICTS.map(() => '---:').join(' | ')} |`,
  ];
  for (const { kind, counts } of countByKind(report)) {
    rows.push(`| ${escape(kind)} | ${counts.accounts} | ${VERDICTS.map((v) => counts[v]).join(' | ')} |`);
  }
  const s = report.summary;
  rows.push(`| **total** | **${s.accounts}** | ${VERDICTS.map((v) => `**${s[v]}**`).join(' | ')} |`);
  return rows.join('\n');
}

function problemSection(title: string, detail: string, accounts: AccountResult[], options: RenderOptions): string {
  if (accounts.length === 0) return '';
  const shown = groupByProblem(accounts).slice(0, options.verbose ? accounts.length : SECTION_LIMIT);
  const withPolicies = accounts[0]?.verdict === 'fail';
  const rows = withPolicies
    ? [`| Account | Kind | ${detail} | Policies |`, '| --- | --- | --- | --- |']
    : [`| Account | Kind | ${detail} |`, '| --- | --- | --- |'];
  for (const { account, repeat } of shown) {
    const more = moreProblems(account);
    const note = acceptanceNote(account);
    const confirmation = repeat ? '' : confirmationText(account.gaps[0] ?? {});
    const problem =
      (repeat ? '_(same as above)_' : firstProblem(account).split('\n').map(escape).join('<br>')) +
      (more > 0 && !repeat ? ` _(+${more} more)_` : '') +
      (confirmation ? `<br>${confirmationCell(confirmation)}` : '') +
      evidenceLines(account)
        .map((line) => `<br>${line}`)
        .join('') +
      (note ? `<br>_${escape(note)}_` : '');
    const policies = withPolicies ? ` ${repeat ? '' : policyList(account.gaps[0]?.policyIds ?? [])} |` : '';
    rows.push(`| ${accountCell(account)} | ${escape(account.kind)} | ${problem} |${policies}`);
  }
  const rest = accounts.length - shown.length;
  const tail =
    rest > 0 ? `\n\n_… and ${rest} more: run with \`--verbose\` or \`--format json\` for every account._` : '';
  return `### ${title} (${accounts.length})\n\n${rows.join('\n')}${tail}`;
}

function findingsSection(report: TenantReport): string {
  if (report.findings.length === 0) return '';
  const rows = ['| Severity | Finding | Id |', '| --- | --- | --- |'];
  for (const finding of sortFindings(report.findings)) {
    rows.push(`| ${escape(finding.severity)} | ${escape(finding.message)} | \`${code(finding.id)}\` |`);
  }
  return `### Findings (${report.findings.length})\n\n${rows.join('\n')}`;
}

function impactSection(failing: AccountResult[]): string {
  const impacts = partnerCenterImpacts(failing);
  if (impacts.length === 0) return '';
  return `### What failing accounts lose in Partner Center\n\n${impacts.map((i) => `- ${escape(i)}`).join('\n')}`;
}

function baselineSection(report: TenantReport): string {
  const baseline = report.baseline;
  if (!baseline) return '';
  const lines = [`### Baseline${baseline.path ? ` \`${code(baseline.path)}\`` : ''}`, ''];
  lines.push(
    baseline.strict
      ? '- `--strict`: the baseline was read and ignored; nothing is accepted.'
      : `- ${baseline.accepted} ${plural(baseline.accepted, 'account')} accepted by a current entry.`,
  );
  for (const entry of baseline.expired) {
    lines.push(
      `- **expired:** \`${code(entry.account ?? entry.subject ?? '?')}\` (owner ${escape(entry.owner)}, expired ${escape(entry.expires)})`,
    );
  }
  for (const entry of baseline.unused) {
    lines.push(
      `- unused, delete it: \`${code(entry.account ?? entry.subject ?? '?')}\` (owner ${escape(entry.owner)})`,
    );
  }
  return lines.join('\n');
}

function everyAccountSection(accounts: AccountResult[]): string {
  if (accounts.length === 0) return '';
  const rows = ['| Account | Kind | Verdict | Mechanisms | Reasons and gaps |', '| --- | --- | --- | --- | --- |'];
  for (const account of accounts) {
    const details = [
      ...account.reasons.map(escape),
      ...account.gaps.flatMap((gap) => {
        const confirmation = confirmationText(gap);
        return [`**gap:** ${escape(gap.description)}`, ...(confirmation ? [confirmationCell(confirmation)] : [])];
      }),
      ...evidenceLines(account),
      ...(account.warnings ?? []).map((warning) => `**warning:** ${escape(warning)}`),
      ...(acceptanceNote(account) ? [`_${escape(acceptanceNote(account))}_`] : []),
    ];
    rows.push(
      `| ${accountCell(account)} | ${escape(account.kind)} | ${escape(account.verdict)} | ` +
        `${escape(account.mechanisms.join(', '))} | ${details.join('<br>')} |`,
    );
  }
  return `### Every account (${accounts.length})\n\n${rows.join('\n')}`;
}

/** The What If counts and the sign-in window, one line each; '' when the report holds no evidence from Entra. */
function evidenceSummary(report: TenantReport): string {
  return [whatIfText(report), signInsText(report)]
    .filter((text) => text !== '')
    .map((text) => `${escape(text)}.`)
    .join('\n\n');
}

/** A gap's What If confirmation, in italics; a dispute in bold, since it makes the account undecided. */
function confirmationCell(text: string): string {
  return text.startsWith('DISPUTED') ? `**${escape(text)}**` : `_${escape(text)}_`;
}

function evidenceLines(account: AccountResult): string[] {
  return [evidenceText(account), engineVerdictText(account)].filter((text) => text !== '').map(escape);
}

function accountCell(account: AccountResult): string {
  const name = `\`${code(account.userPrincipalName || account.id)}\``;
  const extra = standing(account);
  return extra ? `${name}<br>${escape(extra)}` : name;
}

function policyList(ids: string[]): string {
  return ids.map((id) => `\`${code(id)}\``).join(', ');
}

/** Text from the tenant (display names, messages) must not become markup, links or broken table cells. */
function escape(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (ch) => `\\${ch}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Inside a code span only backticks, pipes and line breaks can do harm. */
function code(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/`/g, "'").replace(/\|/g, '\\|');
}
