// Every golden SARIF report, checked against the official SARIF 2.1.0 JSON Schema (draft-04). The schema file is the
// one Microsoft ships in @microsoft/jest-sarif (lib/schemas/sarif-2.1.0-rtm.5.json, MIT), copied here unchanged so
// the test needs no network.
import { readdirSync, readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('test/schemas/sarif-2.1.0-rtm.5.schema.json', root), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }) // the schema has a pattern invalid in unicode mode;
addFormats(ajv as unknown as Parameters<typeof addFormats>[0]);
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
