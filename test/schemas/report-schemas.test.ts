/** The committed JSON Schemas (schemas/) describe what the CLI really writes: reports, baselines, config. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { applyTenantBaseline, applyTokenBaseline, baselineFromTenantReport } from '../../src/core/baseline.js';
import { parseBaseline } from '../../src/input/baseline.js';
import { parseConfig } from '../../src/input/config-schema.js';
import { renderTenantJson } from '../../src/report/tenant/json.js';
import { renderTokenJson } from '../../src/report/token/json.js';
import { evidenceReport } from '../report/tenant/sample-reports.js';
import { CASES, RENDER_OPTIONS, readJson, tenantReport, tokenReport } from '../golden/ci/support.js';
import { memoryIo } from '../helpers/io.js';
import { FIXTURE_NOW, generateTestKey, signFixture } from '../helpers/tokens.js';

type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats));
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }));
const schema = (name: string) => ajv.compile(readJson(`schemas/${name}.schema.json`) as object);
const token = schema('token-report');
const tenant = schema('tenant-report');
const baseline = schema('baseline');
const config = schema('config');

function expectValid(validate: ReturnType<typeof schema>, data: unknown): void {
  expect(validate(data), ajv.errorsText(validate.errors)).toBe(true);
}
const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const now = new Date('2026-11-21T12:00:00Z');

describe('report schemas', () => {
  for (const name of CASES) {
    it(`token ${name}: the report and its JSON rendering validate`, () => {
      expectValid(token, roundTrip(tokenReport(name)));
      expectValid(token, JSON.parse(renderTokenJson(tokenReport(name), RENDER_OPTIONS)));
    });
    it(`tenant ${name}: the report and its JSON rendering validate`, () => {
      expectValid(tenant, roundTrip(tenantReport(name)));
      expectValid(tenant, JSON.parse(renderTenantJson(tenantReport(name), RENDER_OPTIONS)));
    });
  }

  it('reports with a baseline applied validate (accepted, expired, unused)', () => {
    const file = parseBaseline(
      {
        format: 'mfa-audit-baseline/1',
        entries: [
          { account: 'erin@contoso.com', reason: 'r', owner: 'o', expires: '2026-12-31' },
          { account: 'svc-backup@contoso.com', reason: 'r', owner: 'o', expires: '2026-11-01' },
          { account: 'gone@contoso.com', reason: 'r', owner: 'o', expires: '2026-12-31' },
          { subject: 'bob@contoso.com', reason: 'r', owner: 'o', expires: '2026-12-31T00:00:00Z' },
        ],
      },
      'x',
    );
    expectValid(tenant, roundTrip(applyTenantBaseline(tenantReport('mixed'), file, { now })));
    expectValid(token, roundTrip(applyTokenBaseline(tokenReport('mixed'), file, { now, strict: true })));
  });

  it('a report with evidence from Entra (What If confirmations, sign-ins, engine verdicts) validates', () => {
    expectValid(tenant, roundTrip(evidenceReport()));
    expectValid(tenant, JSON.parse(renderTenantJson(evidenceReport(), RENDER_OPTIONS)));
  });

  it('rejects evidence that breaks the schema', () => {
    type Loose = { accounts: Array<Record<string, unknown> & { gaps: Array<Record<string, unknown>> }> } & Record<
      string,
      unknown
    >;
    const status = roundTrip(evidenceReport()) as Loose;
    (status.accounts[0]!.gaps[0]!.confirmation as Record<string, unknown>).status = 'maybe';
    expect(tenant(status)).toBe(false);
    const count = roundTrip(evidenceReport()) as Loose;
    (count.accounts[0]!.evidence as { mfa: Record<string, unknown> }).mfa.count = -1;
    expect(tenant(count)).toBe(false);
    const engine = roundTrip(evidenceReport()) as Loose;
    engine.accounts[1]!.engineVerdict = 'maybe';
    expect(tenant(engine)).toBe(false);
    const window = roundTrip(evidenceReport()) as Loose;
    window.signIns = { window: { from: 'yesterday', to: '2026-11-20T12:00:00Z' }, truncated: false };
    expect(tenant(window)).toBe(false);
    const whatIf = roundTrip(evidenceReport()) as Loose;
    delete (whatIf.whatIf as Record<string, unknown>).spotChecks;
    expect(tenant(whatIf)).toBe(false);
  });

  it('rejects what breaks the schemas', () => {
    const broken = roundTrip(tenantReport('mixed')) as { accounts: Array<Record<string, unknown>> };
    broken.accounts[0]!.verdict = 'maybe';
    expect(tenant(broken)).toBe(false);
    const missing = roundTrip(tokenReport('mixed')) as { results: Array<Record<string, unknown>> };
    delete missing.results[0]!.claims;
    expect(token(missing)).toBe(false);
  });

  it('the demo tenant, as the CLI writes it, validates', async () => {
    const io = memoryIo({ now: FIXTURE_NOW });
    await runCli(['tenant', '--demo', '--format', 'json'], io);
    expectValid(tenant, JSON.parse(io.out()));
  });

  it('token reports, as the CLI writes them, validate', async () => {
    const key = await generateTestKey();
    const names = ['pc-v1-app-user-mfa', 'pc-v1-app-user-password-only', 'api-v2-app-user-no-amr', 'pc-v1-app-only'];
    const tokens = await Promise.all(names.map((name) => signFixture(name, key)));
    const io = memoryIo({ now: FIXTURE_NOW, input: tokens.join('\n') });
    await runCli(['token', '--now', FIXTURE_NOW.toISOString(), '--format', 'json', '-'], io);
    expectValid(token, JSON.parse(io.out()));
  });
});

describe('baseline and config schemas agree with the validators', () => {
  it('a written baseline validates', () => {
    expectValid(baseline, roundTrip(baselineFromTenantReport(tenantReport('mixed'), now)));
  });

  const configs: Array<[unknown, boolean]> = [
    [{}, true],
    [{ breakGlass: ['bg@x.com'], serviceAccounts: '^svc-', baseline: 'b.json', format: 'sarif', profile: 'any', failOn: 'fail', strict: true }, true],
    [{ serviceAccounts: ['/^svc-/', 'a@x.com'] }, true],
    [{ format: 'pdf' }, false],
    [{ failOn: 'never' }, false],
    [{ breakGlass: 'a@x.com' }, false],
    [{ typo: true }, false],
    [{ confirm: false, confirmBudget: 0, signIns: 30 }, true],
    [{ signIns: 31 }, false],
    [{ signIns: 1.5 }, false],
    [{ confirmBudget: -1 }, false],
    [{ confirm: 'yes' }, false],
  ];
  it.each(configs)('config %j valid: %s (JSON Schema and zod alike)', (data, ok) => {
    expect(config(data)).toBe(ok);
    expect(() => parseConfig(data, 'x')).toBeDefined();
    if (ok) expect(parseConfig(data, 'x')).toEqual(data);
    else expect(() => parseConfig(data, 'x')).toThrow();
  });

  it('the example config and baseline in examples/ validate against both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-schema-'));
    writeFileSync(join(dir, 'x'), '');
    const exampleConfig = JSON.parse(readFileSync('examples/mfa-audit.config.json', 'utf8')) as unknown;
    expectValid(config, exampleConfig);
    parseConfig(exampleConfig, 'examples/mfa-audit.config.json');
    const exampleBaseline = JSON.parse(readFileSync('examples/mfa-audit.baseline.json', 'utf8')) as unknown;
    expectValid(baseline, exampleBaseline);
    parseBaseline(exampleBaseline, 'examples/mfa-audit.baseline.json');
  });
});
