/** Exit codes of the CI gate (contract: "Exit codes"), decided from the reports alone. */
import type { TenantReport } from './tenant/types.js';
import type { TokenReport } from './token/types.js';

export function tokenExitCode(report: TokenReport): 0 | 1 | 3 {
  if (report.results.some((r) => r.verdict === 'fail')) return 1;
  if (report.results.some((r) => r.verdict === 'unknown')) return 3;
  return 0;
}

export function tenantExitCode(report: TenantReport): 0 | 1 | 3 {
  if (report.accounts.some((a) => a.verdict === 'fail')) return 1;
  if (report.accounts.some((a) => a.verdict === 'unknown')) return 3;
  return 0;
}
