/**
 * `plan --policies PATH…`: Conditional Access policies, named locations and authentication strengths as Graph
 * returns and accepts them, one object or an array per file, files or folders of `*.json` files. Each object is
 * validated by the snapshot rules (src/input/snapshot.ts) and keeps the JSON line of every field, so a SARIF result
 * can point at the condition that opens a gap. An object without an id is new: it gets `proposed-N`.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { GRAPH_KEYS, SNAPSHOT_FORMAT } from '../core/snapshot.js';
import type { ChangeSet, ObjectKind, ProposedObject } from '../core/plan/types.js';
import { InputError } from '../errors.js';
import { describeJsonSyntaxError } from './json-file.js';
import { parseSnapshot } from './snapshot.js';

/** Policy files are small; anything larger is a mistake (a snapshot or report passed by accident). */
const MAX_BYTES = 10 * 1024 * 1024;
/** Deeper than any Graph object: the line index stops there. */
const MAX_DEPTH = 64;

/** The snapshot key whose rules validate each kind. */
const VALIDATED_AS: Record<ObjectKind, string> = {
  policy: GRAPH_KEYS.conditionalAccessPolicies,
  namedLocation: GRAPH_KEYS.namedLocations,
  authenticationStrength: GRAPH_KEYS.authenticationStrengthPolicies,
};

/** JSON path (`[0].conditions.users`) → the line its value (or its member's name) starts on. */
export function jsonLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const blanks = () => {
    while (i < text.length && /[ \t\r\n]/.test(text[i]!)) if (text[i++] === '\n') line++;
  };
  const skipString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string, depth: number): void => {
    blanks();
    if (depth <= MAX_DEPTH) lines.set(path, line);
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      let index = 0;
      for (;;) {
        blanks();
        if (text[i] === '}' || text[i] === ']') {
          i++;
          return;
        }
        if (text[i] === ',') {
          i++;
          blanks();
        }
        if (c === '{') {
          const memberLine = line;
          const key = skipString();
          blanks();
          i++; // ':'
          const at = `${path}${path ? '.' : ''}${key}`;
          value(at, depth + 1);
          if (depth < MAX_DEPTH) lines.set(at, memberLine);
        } else value(`${path}[${index++}]`, depth + 1);
      }
    }
    if (c === '"') skipString();
    else while (i < text.length && !/[,\]}\s]/.test(text[i]!)) i++;
  };
  value('', 0);
  return lines;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What an object is, from its `@odata.type` or its shape. */
function kindOf(value: Record<string, unknown>): ObjectKind | undefined {
  const type = typeof value['@odata.type'] === 'string' ? value['@odata.type'].toLowerCase() : '';
  if (type.endsWith('namedlocation')) return 'namedLocation';
  if (type.endsWith('authenticationstrengthpolicy')) return 'authenticationStrength';
  if (type.endsWith('conditionalaccesspolicy') || 'conditions' in value || 'grantControls' in value) return 'policy';
  if ('ipRanges' in value || 'countriesAndRegions' in value) return 'namedLocation';
  if ('allowedCombinations' in value) return 'authenticationStrength';
  return undefined;
}

/** The snapshot's rules for one object: its problem, with the JSON path inside the object. */
function validateObject(kind: ObjectKind, value: Record<string, unknown>, label: string): void {
  const key = VALIDATED_AS[kind];
  const probe = {
    format: SNAPSHOT_FORMAT,
    tenantId: '',
    collectedAt: '',
    graph: { [GRAPH_KEYS.users]: [], [key]: [value] },
  };
  try {
    parseSnapshot(JSON.stringify(probe), label);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const prefix = `snapshot ${label}: graph[${JSON.stringify(key)}][0]`;
    const detail = error.message.startsWith(prefix)
      ? error.message.slice(prefix.length).replace(/^\./, '')
      : error.message;
    throw new InputError(`${label}: ${detail.startsWith(':') ? `(the ${kind})${detail}` : detail}`, { cause: error });
  }
}

async function readText(path: string, label: string): Promise<string> {
  try {
    const buffer = await readFile(path);
    if (buffer.length > MAX_BYTES) throw new InputError(`--policies ${label}: larger than 10 MB`);
    return buffer.toString('utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputError(`--policies ${label}: cannot read (${why})`, { cause: error });
  }
}

/** The objects of one file, each with its source lines. */
export function parsePolicyFile(text: string, label: string): ProposedObject[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`--policies ${label}: ${describeJsonSyntaxError(text)}`, { cause: error });
  }
  const lines = jsonLines(text);
  const items = Array.isArray(data) ? data : [data];
  return items.map((item, n) => {
    const at = Array.isArray(data) ? `[${n}]` : '';
    const where = `--policies ${label}${at ? ` item ${n + 1}` : ''}`;
    if (!isObject(item))
      throw new InputError(`${where}: expected a JSON object (a policy, named location or authentication strength)`);
    const kind = kindOf(item);
    if (!kind) {
      throw new InputError(
        `${where}: not a Conditional Access policy, named location or authentication strength (no conditions, ` +
          'grantControls, ipRanges, countriesAndRegions or allowedCombinations, and no @odata.type naming one)',
      );
    }
    const own: Record<string, number> = {};
    for (const [path, line] of lines) {
      if (path.startsWith(at) && path !== at) own[path.slice(at.length).replace(/^\./, '')] = line;
    }
    return { kind, value: item, source: { file: label, line: lines.get(at) ?? 1, lines: own } };
  });
}

/** Every `*.json` file under a folder, in name order (so the same folder always gives the same change). */
async function jsonFiles(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await jsonFiles(full)));
    else if (entry.name.toLowerCase().endsWith('.json')) out.push(full);
  }
  return out;
}

/** Reads `--policies` paths (relative to `cwd`) and `--remove` ids into a change set; ids are assigned to new objects. */
export async function readChangeSet(
  paths: readonly string[],
  remove: readonly string[],
  cwd: string,
): Promise<ChangeSet> {
  const objects: ProposedObject[] = [];
  for (const given of paths) {
    const full = resolve(cwd, given);
    let info;
    try {
      info = await stat(full);
    } catch (error) {
      throw new InputError(`--policies ${given}: cannot read (no such file or folder)`, { cause: error });
    }
    const files = info.isDirectory() ? await jsonFiles(full) : [full];
    if (info.isDirectory() && files.length === 0)
      throw new InputError(`--policies ${given}: no .json files in the folder`);
    for (const file of files) {
      const label = info.isDirectory() ? relative(cwd, file) || file : given;
      objects.push(...parsePolicyFile(await readText(file, label), label));
    }
  }
  const seen = new Map<string, string>();
  let next = 1;
  for (const o of objects) {
    const label = o.source?.file ?? '';
    if (typeof o.value.id !== 'string' || o.value.id.trim() === '') o.value = { ...o.value, id: `proposed-${next++}` };
    const id = (o.value.id as string).toLowerCase();
    const other = seen.get(id);
    if (other !== undefined)
      throw new InputError(`--policies: id '${o.value.id as string}' is proposed twice (${other} and ${label})`);
    seen.set(id, label);
    validateObject(o.kind, o.value, `--policies ${label}`);
  }
  return { objects, remove: [...remove] };
}
