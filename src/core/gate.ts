/**
 * Exit codes of the CI gate, decided from the reports alone.
 *
 * | code | meaning |
 * | 0 | nothing fails the gate |
 * | 1 | a token / account fails (and is not accepted by a current baseline entry) |
 * | 3 | nothing fails, but something is unknown (and not accepted) — only with `--fail-on unknown`, the default |
 *
 * Usage and input errors (2) and collection failures (3) never reach here: they are thrown, and src/cli/main.ts
 * maps them, whatever --fail-on says.
 */
import type { TenantReport } from './tenant/types.js';
import type { TokenReport } from './token/types.js';

/**
 * What fails the pipeline. `unknown` (the default): a failure exits 1, else an
 * undecided result exits 3. `fail`: only failures exit non-zero; unknown results are still reported, and exit 0.
 */
export type FailOn = 'fail' | 'unknown';
export const FAIL_ON_VALUES: readonly FailOn[] = ['fail', 'unknown'];

export interface GatePolicy {
  failOn?: FailOn;
}

export interface Gated {
  verdict: string;
  accepted?: unknown;
}

function exitCodeOf(items: readonly Gated[], policy: GatePolicy): 0 | 1 | 3 {
  // An accepted result (current baseline entry, not --strict) is reported but does not fail the gate.
  const open = items.filter((item) => item.accepted === undefined);
  if (open.some((item) => item.verdict === 'fail')) return 1;
  if ((policy.failOn ?? 'unknown') === 'unknown' && open.some((item) => item.verdict === 'unknown')) return 3;
  return 0;
}

export function tokenExitCode(report: TokenReport, policy: GatePolicy = {}): 0 | 1 | 3 {
  return exitCodeOf(report.results, policy);
}

export function tenantExitCode(report: TenantReport, policy: GatePolicy = {}): 0 | 1 | 3 {
  return exitCodeOf(report.accounts, policy);
}

/** How many results the gate let through only because of --fail-on fail (for a note on stderr). */
export function unknownsIgnored(items: readonly Gated[], policy: GatePolicy): number {
  if ((policy.failOn ?? 'unknown') !== 'fail') return 0;
  return items.filter((item) => item.accepted === undefined && item.verdict === 'unknown').length;
}
