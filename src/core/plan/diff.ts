/**
 * `diff OLD NEW` over plain data: each side a snapshot (audited here) or a tenant report (taken as it is). Objects
 * are compared field by field, and gaps matched by whether their sign-in is covered on the other side, only when both
 * sides are snapshots: a report does not hold the policies.
 */
import type { Snapshot } from '../snapshot.js';
import type { AuditOptions } from '../tenant/audit.js';
import { auditTenant, prepare } from '../tenant/audit.js';
import type { TenantReport } from '../tenant/types.js';
import { compareReports } from './compare.js';
import { gapJudge } from './gap-judge.js';
import { objectChanges } from './object-diff.js';
import { helpersFor } from './plan.js';
import type { ChangeReport } from './types.js';

export type DiffSide = ({ kind: 'snapshot'; snapshot: Snapshot } | { kind: 'report'; report: TenantReport }) & {
  label: string;
};

export function diffStates(before: DiffSide, after: DiffSide, options: AuditOptions): ChangeReport {
  const reportOf = (side: DiffSide) => (side.kind === 'report' ? side.report : auditTenant(side.snapshot, options));
  const both = before.kind === 'snapshot' && after.kind === 'snapshot';
  return compareReports({
    command: 'diff',
    before: { report: reportOf(before), label: before.label, kind: before.kind },
    after: { report: reportOf(after), label: after.label, kind: after.kind },
    objectChanges:
      before.kind === 'snapshot' && after.kind === 'snapshot' ? objectChanges(before.snapshot, after.snapshot) : [],
    judge:
      before.kind === 'snapshot' && after.kind === 'snapshot'
        ? gapJudge(
            { snapshot: before.snapshot, state: () => prepare(before.snapshot) },
            { snapshot: after.snapshot, state: () => prepare(after.snapshot) },
            options,
            helpersFor(options),
          )
        : undefined,
    objectChangesNote: both
      ? undefined
      : 'Policies are compared field by field only when both sides are snapshots: a report does not hold them.',
    now: options.now,
  });
}
