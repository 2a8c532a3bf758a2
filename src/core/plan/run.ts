/**
 * `plan` from end to end over plain data: the change applied to the baseline, both states audited, the two reports
 * compared. Evidence from Entra (What If answers, sign-ins) describes the policies as they are, so it is left out
 * of both states.
 */
import type { Snapshot } from '../snapshot.js';
import type { AuditOptions } from '../tenant/audit.js';
import type { ObjectKind, ChangeSet, ObjectSource, PlanResult } from './types.js';
import { applyChangeSet } from './apply.js';
import { compareReports } from './compare.js';
import { objectChanges } from './object-diff.js';
import { idOf, withoutEvidence } from './objects.js';
import { auditBothStates } from './plan.js';

export interface PlanOutcome {
  result: PlanResult;
  unknownRemovals: string[];
  notCollected: ObjectKind[];
}

export function planChange(baseline: Snapshot, changes: ChangeSet, options: AuditOptions, label: string): PlanOutcome {
  const stripped = withoutEvidence(baseline);
  const applied = applyChangeSet(stripped.snapshot, changes);
  const outcome: PlanOutcome = {
    result: { change: undefined as never },
    unknownRemovals: applied.unknownRemovals,
    notCollected: applied.notCollected,
  };
  if (applied.unknownRemovals.length > 0 || applied.notCollected.length > 0) return outcome;
  const sources = new Map<string, ObjectSource>();
  for (const o of changes.objects) if (o.source) sources.set(idOf(o.value), o.source);
  const both = auditBothStates(stripped.snapshot, applied.snapshot, options);
  const proposedLabel = `proposed (${changes.objects.length} object${changes.objects.length === 1 ? '' : 's'} proposed, ${changes.remove.length} removed)`;
  const change = compareReports({
    command: 'plan',
    before: { report: both.before, label, kind: 'snapshot' },
    after: { report: both.after, label: proposedLabel, kind: 'proposed' },
    objectChanges: objectChanges(stripped.snapshot, applied.snapshot, sources),
    judge: both.judge,
    notes: stripped.dropped
      ? ['Evidence from Entra (What If answers, sign-ins) describes the policies as they are: left out of both states.']
      : [],
    now: options.now,
  });
  outcome.result = { change, proposed: both.after };
  return outcome;
}
