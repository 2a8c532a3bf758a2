/**
 * The exit code of `plan` and `diff`: the change is judged, not the state. 1 when the change opens a gap, turns an
 * account from pass to fail or unknown, or adds an account that does not pass — even if the tenant had other gaps
 * before; 0 otherwise. `--fail-on fail` keeps its meaning: only what ends in `fail` counts (a pass turning unknown,
 * or a gap that exists only under an assumption mfa-audit cannot check, is reported and exits 0).
 */
import type { FailOn } from '../gate.js';
import { isRegression } from './compare.js';
import type { ChangeReport } from './types.js';

export function changeExitCode(change: ChangeReport, failOn: FailOn = 'unknown'): 0 | 1 {
  const counts = (verdict: string) => verdict === 'fail' || (failOn === 'unknown' && verdict === 'unknown');
  if (change.verdictChanges.some((c) => isRegression(c) && counts(c.to))) return 1;
  if (change.gapsOpened.some((g) => failOn === 'unknown' || !g.possible)) return 1;
  if (change.accountsAdded.some((a) => counts(a.to))) return 1;
  return 0;
}
