/**
 * A change set applied to a snapshot: the proposed state, as a snapshot the engine audits like any other. A proposed
 * object whose id exists replaces it (in every key that holds its kind), one with a new id is added, `remove` deletes.
 * Pure: the baseline is not modified; keys the change does not touch are shared.
 */
import type { Snapshot } from '../snapshot.js';
import type { ChangeSet, ObjectKind } from './types.js';
import type { GraphObject } from './objects.js';
import { OBJECT_KEYS, OBJECT_KINDS, idOf } from './objects.js';

export interface AppliedChange {
  snapshot: Snapshot;
  /** `--remove` ids that name no object of the baseline. */
  unknownRemovals: string[];
  /** Kinds proposed whose objects the baseline did not collect (a change to an unknown list proves nothing). */
  notCollected: ObjectKind[];
}

export function applyChangeSet(baseline: Snapshot, changes: ChangeSet): AppliedChange {
  const graph = { ...baseline.graph };
  const removals = new Set(changes.remove.map((id) => id.toLowerCase()));
  const removed = new Set<string>();
  const notCollected: ObjectKind[] = [];
  for (const kind of OBJECT_KINDS) {
    const proposed = changes.objects.filter((o) => o.kind === kind).map((o) => o.value);
    const keys = OBJECT_KEYS[kind].filter((key) => Array.isArray(graph[key]));
    if (keys.length === 0) {
      if (proposed.length > 0) notCollected.push(kind);
      continue;
    }
    for (const key of keys) {
      graph[key] = applyToList(graph[key] as unknown[], proposed, removals, removed);
    }
  }
  const unknownRemovals = changes.remove.filter((id) => !removed.has(id.toLowerCase()));
  return { snapshot: { ...baseline, graph }, unknownRemovals, notCollected };
}

function applyToList(list: unknown[], proposed: GraphObject[], removals: Set<string>, removed: Set<string>): unknown[] {
  const byId = new Map(proposed.map((o) => [idOf(o), o]));
  const used = new Set<string>();
  const out: unknown[] = [];
  for (const item of list) {
    const id = typeof item === 'object' && item !== null ? idOf(item as GraphObject) : '';
    if (id !== '' && removals.has(id)) {
      removed.add(id);
      continue;
    }
    const replacement = byId.get(id);
    if (id !== '' && replacement) {
      used.add(id);
      out.push(replacement);
    } else out.push(item);
  }
  for (const o of proposed) if (!used.has(idOf(o))) out.push(o);
  return out;
}
