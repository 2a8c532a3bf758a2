/** Reading `--policies`: one object or an array, folders, validation by the snapshot rules, JSON lines of fields. */
import { describe, expect, it } from 'vitest';
import { jsonLines, parsePolicyFile, readChangeSet } from '../../src/input/policies.js';
import { objectChanges } from '../../src/core/plan/object-diff.js';
import { applyChangeSet } from '../../src/core/plan/apply.js';
import { InputError } from '../../src/errors.js';
import { readSnapshot } from '../../src/input/snapshot.js';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('jsonLines', () => {
  it('gives the line of every member and element', () => {
    const text = '{\n  "a": {\n    "b": [\n      1,\n      "x"\n    ]\n  },\n  "c": "d\\"e"\n}';
    const lines = jsonLines(text);
    expect(lines.get('a')).toBe(2);
    expect(lines.get('a.b')).toBe(3);
    expect(lines.get('a.b[1]')).toBe(5);
    expect(lines.get('c')).toBe(8);
  });
});

describe('parsePolicyFile', () => {
  it('an array of objects: each with its own lines, kinds told apart', () => {
    const text = JSON.stringify(
      [
        { displayName: 'p', state: 'enabled', conditions: {}, grantControls: null },
        { '@odata.type': '#microsoft.graph.ipNamedLocation', id: 'l1', ipRanges: [] },
        { id: 's1', allowedCombinations: ['fido2'] },
      ],
      null,
      2,
    );
    const objects = parsePolicyFile(text, 'f.json');
    expect(objects.map((o) => o.kind)).toEqual(['policy', 'namedLocation', 'authenticationStrength']);
    expect(objects[0]?.source?.lines.conditions).toBe(5);
  });

  it('refuses what is none of them, and broken JSON, by position', () => {
    expect(() => parsePolicyFile('{"hello": 1}', 'f.json')).toThrow(/not a Conditional Access policy/);
    expect(() => parsePolicyFile('{"state": ', 'f.json')).toThrow(/not valid JSON at line 1/);
  });
});

describe('readChangeSet', () => {
  it('a folder: ids assigned to new objects', async () => {
    const changes = await readChangeSet(['test/fixtures/plan/legacy-auth-block-added'], [], ROOT);
    expect(changes.objects.map((o) => o.value.id)).toEqual(['proposed-1']);
  });

  it('validates by the snapshot rules, naming the field', async () => {
    const read = readChangeSet(['test/fixtures/plan/invalid/state-not-a-string.json'], [], ROOT);
    await expect(read).rejects.toThrow(InputError);
    await expect(read).rejects.toThrow(/state-not-a-string\.json: state: expected string/);
  });

  it('a missing path is an input error', async () => {
    await expect(readChangeSet(['no/such/file.json'], [], ROOT)).rejects.toThrow(/cannot read/);
  });

  it('a proposed field the engine does not model is reported, and the policy read fail-closed', async () => {
    const changes = await readChangeSet(['test/fixtures/plan/unmodelled-field'], [], ROOT);
    const baseline = await readSnapshot(`${ROOT}fixtures/demo-tenant.json`);
    const { snapshot } = applyChangeSet(baseline, changes);
    const [change] = objectChanges(baseline, snapshot);
    expect(change?.unmodelled?.[0]).toMatch(/conditions\.futureCondition/);
  });
});
