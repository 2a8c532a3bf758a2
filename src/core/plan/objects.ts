/**
 * The Conditional Access objects of a snapshot, by kind: where each kind lives (its snapshot keys) and how to read
 * them. Policies live in two keys (v1.0, and beta when collected); a change is made to both.
 */
import type { Snapshot } from '../snapshot.js';
import { GRAPH_KEYS } from '../snapshot.js';
import type { ObjectKind } from './types.js';

export const OBJECT_KEYS: Readonly<Record<ObjectKind, readonly string[]>> = {
  policy: [GRAPH_KEYS.conditionalAccessPolicies, GRAPH_KEYS.conditionalAccessPoliciesBeta],
  namedLocation: [GRAPH_KEYS.namedLocations],
  authenticationStrength: [GRAPH_KEYS.authenticationStrengthPolicies],
};

export const OBJECT_KINDS: readonly ObjectKind[] = ['policy', 'namedLocation', 'authenticationStrength'];

export const KIND_WORDS: Readonly<Record<ObjectKind, string>> = {
  policy: 'Conditional Access policy',
  namedLocation: 'named location',
  authenticationStrength: 'authentication strength',
};

export type GraphObject = Record<string, unknown>;

function isObject(value: unknown): value is GraphObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The objects of one kind: beta's list when present (it holds more fields), plus any only v1.0 has. */
export function objectsOf(snapshot: Snapshot, kind: ObjectKind): GraphObject[] | undefined {
  let out: GraphObject[] | undefined;
  const seen = new Set<string>();
  for (const key of [...OBJECT_KEYS[kind]].reverse()) {
    const list = snapshot.graph[key];
    if (!Array.isArray(list)) continue;
    out ??= [];
    for (const item of list) {
      if (!isObject(item)) continue;
      const id = idOf(item);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(item);
    }
  }
  return out;
}

/** Ids compare case-insensitively, as Graph's do. */
export function idOf(object: GraphObject): string {
  return typeof object.id === 'string' ? object.id.toLowerCase() : '';
}

export function nameOf(object: GraphObject | undefined, fallback: string): string {
  return object && typeof object.displayName === 'string' ? object.displayName : fallback;
}

/** Keys of the evidence from Entra: it describes the policies as they are, so it says nothing of a proposed state. */
const EVIDENCE_KEYS: readonly string[] = [
  GRAPH_KEYS.conditionalAccessEvaluate,
  GRAPH_KEYS.signIns,
  GRAPH_KEYS.signInWindow,
];

/** The snapshot without the evidence keys (a shallow copy; the rest is shared). */
export function withoutEvidence(snapshot: Snapshot): { snapshot: Snapshot; dropped: boolean } {
  const dropped = EVIDENCE_KEYS.some((key) => key in snapshot.graph);
  if (!dropped) return { snapshot, dropped };
  const graph = { ...snapshot.graph };
  for (const key of EVIDENCE_KEYS) delete graph[key];
  return { snapshot: { ...snapshot, graph }, dropped };
}
