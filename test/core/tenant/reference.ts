/**
 * Reference decisions the engine's fast paths are checked against: built from `targeting`, the slow path that
 * also says why, so a fast path and its reference share no code beyond the directory lookups.
 */
import type { Classification } from '../../../src/core/tenant/classify.js';
import type { Directory } from '../../../src/core/tenant/directory.js';
import type { Policy } from '../../../src/core/tenant/policy.js';
import { targeting } from '../../../src/core/tenant/policy.js';

/** A policy's letter for one user: 'y' applies, 'n' not included, 'x' excluded, 'm' maybe. */
export function applicabilityOf(
  dir: Directory,
  policy: Policy,
  userId: string,
  cls: Classification,
): 'y' | 'n' | 'x' | 'm' {
  const t = targeting(dir, policy, userId, cls);
  if (t.included === 'no') return 'n';
  if (t.excluded === 'yes') return 'x';
  if (t.included === 'yes' && t.excluded === 'no') return 'y';
  return 'm';
}
