/**
 * Policies, named locations and authentication strengths compared field by field between two snapshots. Objects
 * are matched by id; key order and formatting never count as a change (values are compared as canonical JSON).
 * Read-only fields Graph sets itself (`modifiedDateTime`, `@odata.*`) are not changes of a policy's meaning.
 */
import type { Snapshot } from '../snapshot.js';
import { POLICY_MODEL, describeUnmodelled, unmodelledFields } from '../tenant/model.js';
import type { FieldChange, ObjectChange, ObjectKind, ObjectSource } from './types.js';
import type { GraphObject } from './objects.js';
import { OBJECT_KINDS, idOf, nameOf, objectsOf } from './objects.js';

const IGNORED_FIELDS = new Set(['createdDateTime', 'modifiedDateTime']);

function isObject(value: unknown): value is GraphObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted: equal values give equal text, whatever the key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Every field that differs: objects are walked, arrays and scalars compared whole. */
function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys
      .filter((k) => !(path === '' && (IGNORED_FIELDS.has(k) || k.startsWith('@odata.'))))
      .flatMap((k) => fieldChanges(before[k], after[k], join(path, k)));
  }
  if (canonical(before) === canonical(after)) return [];
  const change: FieldChange = { path };
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  return [change];
}

/** A field's line in the proposed file: its own, else its nearest parent's. */
function lineOf(source: ObjectSource, path: string): number {
  for (let p = path; p !== ''; p = p.replace(/(\.[^.[\]]*|\[\d+\])$/, '')) {
    const line = source.lines[p];
    if (line !== undefined) return line;
    if (!/[.[]/.test(p)) break;
  }
  return source.line;
}

/**
 * What changed between two snapshots' objects. `sources` (plan) gives the proposed file of each object by id, so
 * the change can point at the line of every field that changed. A kind collected on one side only is not compared.
 */
export function objectChanges(
  before: Snapshot,
  after: Snapshot,
  sources: ReadonlyMap<string, ObjectSource> = new Map(),
): ObjectChange[] {
  const out: ObjectChange[] = [];
  for (const kind of OBJECT_KINDS) {
    const old = objectsOf(before, kind);
    const now = objectsOf(after, kind);
    if (!old || !now) continue;
    const oldById = new Map(old.map((o) => [idOf(o), o]));
    const nowById = new Map(now.map((o) => [idOf(o), o]));
    for (const o of now) {
      const id = idOf(o);
      const previous = oldById.get(id);
      const fields = previous ? fieldChanges(previous, o) : [];
      if (previous && fields.length === 0) continue;
      out.push(describe(kind, o, previous ? 'changed' : 'added', fields, sources.get(id)));
    }
    for (const o of old) if (!nowById.has(idOf(o))) out.push(describe(kind, o, 'removed', [], undefined));
  }
  return out;
}

function describe(
  kind: ObjectKind,
  object: GraphObject,
  change: ObjectChange['change'],
  fields: FieldChange[],
  source: ObjectSource | undefined,
): ObjectChange {
  const id = typeof object.id === 'string' ? object.id : '';
  const out: ObjectChange = { kind, id, name: nameOf(object, id), change, fields };
  if (source) {
    out.source = { file: source.file, line: source.line };
    out.fieldLines = Object.fromEntries(fields.map((f) => [f.path, lineOf(source, f.path)]));
  }
  if (kind === 'policy' && change !== 'removed') {
    const unmodelled = unmodelledFields(object, POLICY_MODEL).map(describeUnmodelled);
    if (unmodelled.length > 0) out.unmodelled = unmodelled;
  }
  return out;
}
