/** schemas/change-report.schema.json describes what `plan` and `diff` really write (the proposed state included). */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { readJson } from '../golden/ci/support.js';
import { memoryIo } from '../helpers/io.js';

type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats));
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }));
ajv.addSchema(readJson('schemas/tenant-report.schema.json') as object);
const validate = ajv.compile(readJson('schemas/change-report.schema.json') as object);
const ROOT = new URL('../../', import.meta.url).pathname;
const NOW = ['--now', '2026-11-21T12:00:00Z', '--quiet', '--format', 'json'];

async function json(args: string[]): Promise<Record<string, unknown>> {
  const io = memoryIo({ cwd: ROOT });
  await runCli([...args, ...NOW], io);
  return JSON.parse(io.out()) as Record<string, unknown>;
}

describe('change report schema', () => {
  for (const fixture of ['exclusion-group-added', 'legacy-auth-block-added', 'reformatted-no-op']) {
    it(`plan (${fixture}) validates, with its proposed state`, async () => {
      const report = await json(['plan', '--demo', '--policies', `test/fixtures/plan/${fixture}`]);
      expect(validate(report), ajv.errorsText(validate.errors)).toBe(true);
      expect(report.proposed).toBeDefined();
    });
  }

  it('diff validates, and a broken change does not', async () => {
    const demo = 'fixtures/demo-tenant.json';
    const report = await json(['diff', demo, demo]);
    expect(validate(report), ajv.errorsText(validate.errors)).toBe(true);
    (report.change as { command: string }).command = 'apply';
    expect(validate(report)).toBe(false);
  });
});
