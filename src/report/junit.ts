/**
 * JUnit XML, the test-report format GitHub (test-reporter actions), GitLab (`artifacts:reports:junit`) and Azure
 * Pipelines (`PublishTestResults@2`, format JUnit) all read. Pure: report → text.
 *
 * - One <testsuite> per run (inside <testsuites>), one <testcase> per token or account.
 * - `fail` → <failure> carrying the gap (or failing check) text.
 * - `unknown` → <error type="unknown">: in JUnit terms the test could not be completed, which is exactly an
 *   undecided verdict; all three CI systems count an error as a failed test, so an unknown never shows green.
 * - `exempt` → <skipped> with the reason.
 * - A failure accepted by a current baseline entry → <skipped message="accepted by baseline …"> with the gap text
 *   in <system-out>: shown, but not red (the gate does not fail on it either). With --strict it stays a failure.
 * - Everything is XML-escaped, characters XML 1.0 cannot carry are replaced and control and bidi characters are
 *   shown as \uXXXX, so no claim or display name can break the document or reorder what a reader sees.
 */
import type { AccountResult, TenantReport } from '../core/tenant/types.js';
import type { TokenReport, TokenResult } from '../core/token/types.js';
import { acceptanceText, accountName, decidingChecks, expiredText, gapLines, tokenSubject } from './result-text.js';
import { sortAccounts } from './account-order.js';
import { xmlSafe } from './escape.js';
import { confirmationText, engineVerdictText, evidenceText, signInsText, whatIfText } from './evidence-text.js';
import type { RenderOptions } from './types.js';

/**
 * Escapes text for XML content and attribute values: characters XML 1.0 forbids are replaced, other control and
 * bidi characters shown as \uXXXX (see escape.ts), markup characters escaped.
 */
export function xmlEscape(text: string): string {
  return xmlSafe(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** In attributes newlines must be character references, or parsers fold them into spaces. */
function attr(text: string): string {
  return xmlEscape(text).replace(/\n/g, '&#10;');
}

interface Case {
  classname: string;
  name: string;
  outcome:
    | { kind: 'pass' }
    | { kind: 'failure' | 'error'; message: string; type: string; body: string }
    | { kind: 'skipped'; message: string };
  systemOut?: string;
}

function renderSuite(
  suiteName: string,
  cases: Case[],
  timestamp: string | undefined,
  properties: Array<[string, string]>,
): string {
  const count = (kind: string) => cases.filter((c) => c.outcome.kind === kind).length;
  const totals = `tests="${cases.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}"`;
  const stamp = timestamp && !Number.isNaN(Date.parse(timestamp)) ? ` timestamp="${attr(timestamp)}"` : '';
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(suiteName)}" ${totals} time="0">`,
    `  <testsuite name="${attr(suiteName)}" ${totals} time="0"${stamp}>`,
  ];
  if (properties.length > 0) {
    lines.push('    <properties>');
    for (const [name, value] of properties) lines.push(`      <property name="${attr(name)}" value="${attr(value)}"/>`);
    lines.push('    </properties>');
  }
  for (const c of cases) {
    const open = `    <testcase classname="${attr(c.classname)}" name="${attr(c.name)}" time="0"`;
    const out = c.systemOut ? `      <system-out>${xmlEscape(c.systemOut)}</system-out>` : undefined;
    if (c.outcome.kind === 'pass' && !out) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    const o = c.outcome;
    if (o.kind === 'failure' || o.kind === 'error') {
      lines.push(
        `      <${o.kind} message="${attr(o.message)}" type="${attr(o.type)}">${xmlEscape(o.body)}</${o.kind}>`,
      );
    } else if (o.kind === 'skipped') {
      lines.push(`      <skipped message="${attr(o.message)}"/>`);
    }
    if (out) lines.push(out);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return lines.join('\n') + '\n';
}

// ---- token ---------------------------------------------------------------------------------------------------

export function renderTokenJunit(report: TokenReport, _options?: RenderOptions): string {
  const cases = [...report.results].sort((a, b) => a.index - b.index).map(tokenCase);
  return renderSuite('mfa-audit token', cases, report.generatedAt, [
    ['profile', report.profile ?? 'partner-center'],
    ...baselineProperties(report.baseline),
  ]);
}

function tokenCase(result: TokenResult): Case {
  const name = `token ${result.index + 1}: ${tokenSubject(result)}`;
  const classname = `mfa-audit.token.${result.kind ?? 'token'}`;
  const checks = (result.checks ?? []).map((check) => `${check.id}: ${check.status} — ${check.message}`).join('\n');
  const deciding = decidingChecks(result);
  const message = deciding.map((check) => `${check.id}: ${check.message}`).join('; ') || `verdict ${result.verdict}`;
  const expired = result.expiredAcceptance ? `\n${expiredText(result.expiredAcceptance)}` : '';
  if (result.verdict === 'pass') return { classname, name, outcome: { kind: 'pass' }, systemOut: checks || undefined };
  if (result.accepted) {
    return {
      classname,
      name,
      outcome: { kind: 'skipped', message: acceptanceText(result.accepted) },
      systemOut: checks,
    };
  }
  const kind = result.verdict === 'fail' ? 'failure' : 'error';
  const type = result.verdict === 'fail' ? `check-failed:${deciding[0]?.id ?? 'token'}` : 'unknown';
  return { classname, name, outcome: { kind, message, type, body: checks + expired } };
}

// ---- tenant --------------------------------------------------------------------------------------------------

export function renderTenantJunit(report: TenantReport, _options?: RenderOptions): string {
  const cases = sortAccounts(report.accounts).map(accountCase);
  const findings = (report.findings ?? []).map((finding): [string, string] => [
    `finding.${finding.severity}.${finding.id}`,
    finding.message,
  ]);
  return renderSuite(`mfa-audit tenant ${report.tenantId}`, cases, report.generatedAt, [
    ['tenantId', report.tenantId],
    ...(report.source ? ([['source', report.source.kind]] as Array<[string, string]>) : []),
    ...baselineProperties(report.baseline),
    ...evidenceProperties(report),
    ...findings,
  ]);
}

/** The What If counts and the sign-in window, when the report holds them. */
function evidenceProperties(report: TenantReport): Array<[string, string]> {
  const properties: Array<[string, string]> = [];
  const w = report.whatIf;
  if (w) {
    properties.push(['whatIf', whatIfText(report)]);
    for (const key of ['requests', 'answered', 'confirmed', 'disputed', 'inconclusive', 'notCheckable'] as const) {
      properties.push([`whatIf.${key}`, String(w[key])]);
    }
    properties.push(['whatIf.spotChecks', String(w.spotChecks.requests)]);
  }
  if (report.signIns) {
    properties.push(['signIns', signInsText(report)]);
    properties.push(['signIns.from', report.signIns.window.from], ['signIns.to', report.signIns.window.to]);
    properties.push(['signIns.truncated', String(report.signIns.truncated)]);
  }
  return properties;
}

/** Each gap followed by its What If confirmation (when it has one). */
function gapDetails(account: AccountResult): string[] {
  const lines = gapLines(account);
  return (account.gaps ?? []).flatMap((gap, index) => {
    const confirmation = confirmationText(gap);
    return [`gap: ${lines[index]}`, ...(confirmation ? [`  What If: ${confirmation}`] : [])];
  });
}

function accountCase(account: AccountResult): Case {
  const name = `${accountName(account)}${account.displayName ? ` (${account.displayName})` : ''}`;
  const classname = `mfa-audit.tenant.${account.kind}`;
  const gaps = gapLines(account);
  const evidence = evidenceText(account);
  const engine = engineVerdictText(account);
  const details = [
    ...gapDetails(account),
    ...(account.reasons ?? []).map((reason) => `reason: ${reason}`),
    ...(evidence ? [`evidence: ${evidence}`] : []),
    ...(engine ? [`verdict: ${engine}`] : []),
    ...(account.mechanisms?.length ? [`mechanisms: ${account.mechanisms.join(', ')}`] : []),
    ...(account.partnerCenterImpact ? [`Partner Center: ${account.partnerCenterImpact}`] : []),
    ...(account.expiredAcceptance ? [expiredText(account.expiredAcceptance)] : []),
  ].join('\n');
  switch (account.verdict) {
    case 'pass': {
      // A pass shows its sign-in evidence (and a verdict evidence changed) as output; without evidence, nothing.
      const out = [evidence ? `evidence: ${evidence}` : '', engine ? `verdict: ${engine}` : ''].filter(Boolean);
      return { classname, name, outcome: { kind: 'pass' }, systemOut: out.join('\n') || undefined };
    }
    case 'exempt':
      return {
        classname,
        name,
        outcome: { kind: 'skipped', message: `exempt: ${(account.reasons ?? []).join('; ') || 'cannot sign in'}` },
      };
    default: {
      if (account.accepted) {
        return {
          classname,
          name,
          outcome: { kind: 'skipped', message: acceptanceText(account.accepted) },
          systemOut: details,
        };
      }
      const fail = account.verdict === 'fail';
      const confirmed = fail ? confirmationText(account.gaps?.[0] ?? {}) : '';
      const message = fail
        ? (gaps[0] ?? (account.reasons ?? [])[0] ?? 'no mechanism enforces MFA') + (confirmed ? ` (${confirmed})` : '')
        : ((account.reasons ?? [])[0] ?? 'MFA enforcement could not be decided');
      return {
        classname,
        name,
        outcome: {
          kind: fail ? 'failure' : 'error',
          message: gaps.length > 1 && fail ? `${message} (+${gaps.length - 1} more)` : message,
          type: fail ? (gaps.length ? 'mfa-gap' : 'no-mfa') : 'unknown',
          body: details,
        },
      };
    }
  }
}

function baselineProperties(baseline: TokenReport['baseline']): Array<[string, string]> {
  if (!baseline) return [];
  return [
    ['baseline.strict', String(baseline.strict)],
    ['baseline.accepted', String(baseline.accepted)],
    ['baseline.expired', String(baseline.expired.length)],
    ['baseline.unused', String(baseline.unused.length)],
  ];
}
