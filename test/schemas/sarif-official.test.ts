// Every golden SARIF report, checked against the official SARIF 2.1.0 JSON Schema (draft-04). The schema file is the
// one Microsoft ships in @microsoft/jest-sarif (lib/schemas/sarif-2.1.0-rtm.5.json, MIT), copied here unchanged so
// the test needs no network.
import { readdirSync, readFileSync } from 'node:fs';
import type { Ajv as AjvCore } from 'ajv';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('test/schemas/sarif-2.1.0-rtm.5.schema.json', root), 'utf8')) as object;
// Both packages are CommonJS with a default export; under NodeNext the default may sit one level down.
type AjvConstructor = new (options: object) => AjvCore;
const unwrap = <T>(module: unknown): T => ((module as { default?: T }).default ?? module) as T;
const Ajv = unwrap<AjvConstructor>(AjvDraft04Module);
const addFormats = unwrap<(ajv: AjvCore) => AjvCore>(addFormatsModule);
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }) // the schema has a pattern invalid in unicode mode;
addFormats(ajv);
const validate = ajv.compile(schema);

const goldenDir = new URL('test/golden/ci/', root);
const goldens = readdirSync(goldenDir).filter((name) => name.endsWith('.sarif'));

describe('SARIF reports against the official SARIF 2.1.0 schema', () => {
  it('finds golden SARIF files to check', () => {
    expect(goldens.length).toBeGreaterThan(3);
  });

  it.each(goldens)('%s is valid', (name) => {
    const log = JSON.parse(readFileSync(new URL(name, goldenDir), 'utf8')) as unknown;
    const valid = validate(log);
    expect(ajv.errorsText(validate.errors, { separator: '\n' }), name).toBe('No errors');
    expect(valid).toBe(true);
  });
});
