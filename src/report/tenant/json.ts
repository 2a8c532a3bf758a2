/**
 * The tenant report for machines (contract: "JSON report: tenant"). The contract's fields come first, in the
 * contract's order, so a diff between two runs reads naturally; the engine's extra fields follow them. Accounts are
 * sorted by UPN so the same tenant always gives the same file.
 */
import type { AccountResult, Finding, Gap, TenantReport } from '../../core/tenant/types.js';
import type { RenderOptions } from '../types.js';
import { sortAccounts } from './common.js';

export function renderTenantJson(report: TenantReport, _options: RenderOptions): string {
  return JSON.stringify(toContractShape(report), null, 2) + '\n';
}

export function toContractShape(report: TenantReport): Record<string, unknown> {
  const { tenantId, generatedAt, summary, findings, accounts, ...extras } = report;
  return {
    tenantId,
    generatedAt,
    summary: {
      accounts: summary.accounts,
      pass: summary.pass,
      fail: summary.fail,
      exempt: summary.exempt,
      unknown: summary.unknown,
    },
    findings: findings.map(findingShape),
    accounts: sortAccounts(accounts).map(accountShape),
    ...extras,
  };
}

function findingShape(finding: Finding): Record<string, unknown> {
  const { id, severity, message, ...extras } = finding;
  return { id, severity, message, ...extras };
}

function accountShape(account: AccountResult): Record<string, unknown> {
  const { id, userPrincipalName, displayName, kind, verdict, mechanisms, reasons, gaps, ...extras } = account;
  return {
    id,
    userPrincipalName,
    displayName,
    kind,
    verdict,
    mechanisms,
    reasons,
    gaps: gaps.map(gapShape),
    ...extras,
  };
}

function gapShape(gap: Gap): Record<string, unknown> {
  const { description, policyIds, ...extras } = gap;
  return { description, policyIds, ...extras };
}
