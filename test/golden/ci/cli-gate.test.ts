/**
 * The CI gate through the real command line (runCli in-process, real files in a temp dir): --format/--output pairs,
 * config, --baseline with --now, --write-baseline, --strict, --fail-on, and exit 2 for every usage/input error.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { planOutputs } from '../../../src/cli/output.js';
import { FORMATS } from '../../../src/report/registry.js';
import { memoryIo } from '../../helpers/io.js';
import { FIXTURE_NOW, generateTestKey, signFixture } from '../../helpers/tokens.js';
import type { TestKey } from '../../helpers/tokens.js';
import { newAjv, readJson } from './support.js';

const NOW = '2026-11-21T12:00:00Z';

function workdir(files: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'mfa-gate-'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

async function run(args: string[], cwd: string, input?: string) {
  const io = memoryIo({ cwd, now: FIXTURE_NOW, ...(input !== undefined ? { input } : {}) });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('planOutputs: pairing --format and --output', () => {
  const io = memoryIo();
  const known: string[] = [...FORMATS];
  const plan = (...flags: Array<[ 'format' | 'output', string]>) =>
    planOutputs(io, { outputFlags: flags.map(([flag, value]) => ({ flag, value })) }, known);

  it('each --output takes the --format before it; a lone format goes to stdout; a lone output takes its extension', () => {
    expect(plan(['format', 'sarif'], ['output', 'a.sarif'], ['format', 'table'])).toEqual([
      { format: 'sarif', path: 'a.sarif' },
      { format: 'table' },
    ]);
    // One of each pairs up in either order.
    expect(plan(['output', 'a.json'], ['format', 'sarif'])).toEqual([{ format: 'sarif', path: 'a.json' }]);
    expect(plan(['output', 'a.csv'], ['format', 'table'], ['output', 'b.sarif'])).toEqual([
      { format: 'csv', path: 'a.csv' },
      { format: 'table', path: 'b.sarif' },
    ]);
    expect(plan(['format', 'table'], ['format', 'junit'], ['output', 'r.xml'])).toEqual([
      { format: 'table' },
      { format: 'junit', path: 'r.xml' },
    ]);
    expect(plan(['output', 'r.xml'], ['output', 'r.csv'], ['output', 'r.sarif.json'], ['output', 'r'])).toEqual([
      { format: 'junit', path: 'r.xml' },
      { format: 'csv', path: 'r.csv' },
      { format: 'sarif', path: 'r.sarif.json' },
      { format: 'json', path: 'r' },
    ]);
    expect(plan()).toEqual([{ format: 'json' }]);
  });

  it('refuses two reports on stdout, one file twice, and unknown formats', () => {
    expect(() => plan(['format', 'json'], ['format', 'table'])).toThrow(/only one report can go to stdout/);
    expect(() => plan(['output', 'a.json'], ['output', './a.json'])).toThrow(/given twice/);
    expect(() => plan(['format', 'pdf'])).toThrow(/unknown format 'pdf'/);
  });
});

describe('tenant gate (demo tenant)', () => {
  it('writes SARIF, JUnit and CSV files and a table on stdout in one run; machine files carry no ANSI', async () => {
    const cwd = workdir();
    const args = ['tenant', '--demo', '--now', NOW];
    const outputs = ['--format', 'sarif', '--output', 'out/r.sarif', '-f', 'junit', '-o', 'out/r.xml', '-o', 'out/r.csv'];
    const { code, out, err } = await run([...args, ...outputs, '--format', 'table'], cwd);
    expect(code).toBe(1);
    expect(err).toBe('');
    expect(out).toContain('Accounts');
    expect(readdirSync(join(cwd, 'out')).sort()).toEqual(['r.csv', 'r.sarif', 'r.xml']);
    for (const file of ['r.csv', 'r.sarif', 'r.xml']) {
      // eslint-disable-next-line no-control-regex
      expect(readFileSync(join(cwd, 'out', file), 'utf8')).not.toMatch(/\u001b\[/);
    }
    const sarif = JSON.parse(readFileSync(join(cwd, 'out/r.sarif'), 'utf8')) as object;
    const validate = newAjv().compile(readJson('test/schemas/sarif-2.1.0-subset.schema.json') as object);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(cwd, 'out/r.xml'), 'utf8'));
    expect(Number(xml.testsuites['@_failures'])).toBeGreaterThan(0);
  });

  it('--write-baseline then --baseline: green until the entries expire (--now), then red again', async () => {
    const cwd = workdir();
    const base = ['tenant', '--demo', '--format', 'json'];
    const first = await run([...base, '--now', NOW, '--write-baseline', 'baseline.json', '-o', 'r.json'], cwd);
    expect(first.code).toBe(1);
    expect(first.err).toMatch(/^mfa-audit: note: wrote \d+ baseline entries to baseline.json/);
    const written = JSON.parse(readFileSync(join(cwd, 'baseline.json'), 'utf8')) as { entries: Array<{ expires: string; reason: string; owner: string }> };
    expect(written.entries.every((e) => e.expires === '2026-12-21')).toBe(true);

    // As written, the placeholders are not filled in: the file is refused (exit 2), naming the entries.
    const unfilled = await run([...base, '--now', NOW, '--baseline', 'baseline.json'], cwd);
    expect(unfilled.code).toBe(2);
    expect(unfilled.out).toBe('');
    expect(unfilled.err.trim().split('\n')).toHaveLength(1);
    expect(unfilled.err).toMatch(
      new RegExp(`baseline 'baseline.json': ${written.entries.length} entries still have the placeholder reason or owner .*entries\\.0 \\(account [^)]+\\), entries\\.1 .* and ${written.entries.length - 3} more; fill in`),
    );
    for (const entry of written.entries) Object.assign(entry, { reason: 'Migration to CA, ticket 42', owner: 'secops@contoso.com' });
    writeFileSync(join(cwd, 'baseline.json'), JSON.stringify(written, null, 2));

    const accepted = await run([...base, '--now', NOW, '--baseline', 'baseline.json'], cwd);
    expect(accepted.code).toBe(0);
    const report = JSON.parse(accepted.out) as { baseline: { accepted: number }; accounts: Array<{ verdict: string; accepted?: unknown }> };
    expect(report.baseline.accepted).toBe(written.entries.length);
    // Accepted accounts are still reported as failing, with the acceptance.
    expect(report.accounts.filter((a) => a.accepted).every((a) => a.verdict === 'fail' || a.verdict === 'unknown')).toBe(true);

    const strict = await run([...base, '--now', NOW, '--baseline', 'baseline.json', '--strict'], cwd);
    expect(strict.code).toBe(1);
    expect(strict.err).toContain('--strict: the baseline is ignored');

    const expired = await run([...base, '--now', '2026-12-22T00:00:00Z', '--baseline', 'baseline.json'], cwd);
    expect(expired.code).toBe(1);
    // Many expired entries: one line naming three of them and how many more, not one line each.
    const expiredLines = expired.err.split('\n').filter((line) => line.includes('expired'));
    expect(expiredLines).toHaveLength(1);
    expect(expiredLines[0]).toMatch(
      new RegExp(`^mfa-audit: note: ${written.entries.length} baseline entries expired, failing again: account [^;]+; account [^;]+; account [^;]+ and ${written.entries.length - 3} more$`),
    );
  });

  it('lists unused baseline entries so the file shrinks', async () => {
    const cwd = workdir({
      'b.json': {
        format: 'mfa-audit-baseline/1',
        entries: [{ account: 'left-the-company@northwindcloud.com', reason: 'r', owner: 'o', expires: '2027-01-01' }],
      },
    });
    const { err } = await run(['tenant', '--demo', '--now', NOW, '--baseline', 'b.json', '-f', 'json'], cwd);
    expect(err).toContain('1 baseline entry matches nothing that fails any more; remove it: account left-the-company@');
  });

  it('takes settings from mfa-audit.config.json, and flags win', async () => {
    const cwd = workdir({ 'mfa-audit.config.json': { format: 'csv', failOn: 'fail' } });
    const fromConfig = await run(['tenant', '--demo', '--now', NOW], cwd);
    expect(fromConfig.out.startsWith('tenantId,id,userPrincipalName')).toBe(true);
    expect(fromConfig.code).toBe(1);
    const flagWins = await run(['tenant', '--demo', '--now', NOW, '--format', 'junit'], cwd);
    expect(flagWins.out.startsWith('<?xml')).toBe(true);
  });

  it('every usage or input error exits 2 with one line, whatever --fail-on says', async () => {
    const cwd = workdir({
      'bad-config.json': { failOn: 'sometimes' },
      'bad-baseline.json': { format: 'mfa-audit-baseline/1', entries: [{ account: 'a', reason: 'r', owner: 'o', expires: 'soon' }] },
    });
    const cases: Array<[string[], RegExp]> = [
      [['--config', 'bad-config.json'], /config 'bad-config.json': failOn: expected 'fail' or 'unknown'/],
      [['--config', 'missing.json'], /config 'missing.json': cannot read/],
      [['--baseline', 'bad-baseline.json'], /baseline 'bad-baseline.json': entries.0.expires/],
      [['--baseline', 'missing.json'], /baseline 'missing.json': cannot read/],
      [['--fail-on', 'never'], /--fail-on/],
      [['--format', 'json', '--format', 'csv'], /only one report can go to stdout/],
      [['--format', 'pdf'], /unknown format 'pdf'/],
    ];
    for (const [extra, message] of cases) {
      const { code, err, out } = await run(['tenant', '--demo', '--fail-on', 'fail', ...extra], cwd);
      expect(code, extra.join(' ')).toBe(2);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(message);
      expect(out).toBe('');
    }
  });
});

describe('token gate', () => {
  let key: TestKey;
  let passing: string;
  let failing: string;
  let v2: string;
  beforeAll(async () => {
    key = await generateTestKey();
    passing = await signFixture('pc-v1-app-user-mfa', key);
    failing = await signFixture('pc-v1-app-user-password-only', key);
    v2 = await signFixture('api-v2-app-user-no-amr', key);
  });

  it('writes SARIF and JUnit for tokens, each report whole', async () => {
    const cwd = workdir();
    const { code } = await run(
      ['token', '--now', NOW, '-f', 'sarif', '-o', 't.sarif', '-f', 'junit', '-o', 't.xml', '-'],
      cwd,
      `${passing}\n${failing}\n`,
    );
    expect(code).toBe(1);
    const sarif = JSON.parse(readFileSync(join(cwd, 't.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toEqual(['token-mfa']);
    expect(readFileSync(join(cwd, 't.xml'), 'utf8')).toContain('tests="2" failures="1"');
    // No token ever lands in a report.
    expect(readFileSync(join(cwd, 't.sarif'), 'utf8')).not.toContain(failing.split('.')[2]);
  });

  it('--fail-on: unknown (default) exits 3 on an undecidable token; fail lets it through with a note', async () => {
    const cwd = workdir();
    const base = ['token', '--now', NOW, '--profile', 'any', '-f', 'json', '-'];
    expect((await run(base, cwd, v2)).code).toBe(3);
    const lenient = await run([...base, '--fail-on', 'fail'], cwd, v2);
    expect(lenient.code).toBe(0);
    expect(lenient.err).toContain('1 unknown token not failing the run (--fail-on fail)');
    expect((await run([...base, '--fail-on', 'fail'], cwd, failing)).code).toBe(1);
  });

  it('a baseline entry for the subject accepts its failing token until it expires', async () => {
    const cwd = workdir();
    const written = await run(['token', '--now', NOW, '-f', 'json', '--write-baseline', 'b.json', '-'], cwd, failing);
    expect(written.code).toBe(1);
    const baseline = JSON.parse(readFileSync(join(cwd, 'b.json'), 'utf8')) as { entries: Array<{ subject: string }> };
    expect(baseline.entries).toHaveLength(1);
    const unfilled = await run(['token', '--now', NOW, '-f', 'json', '--baseline', 'b.json', '-'], cwd, failing);
    expect(unfilled.code).toBe(2);
    expect(unfilled.err).toContain(`1 entry still has the placeholder reason or owner`);
    expect(unfilled.err).toContain(`entries.0 (subject ${baseline.entries[0]!.subject})`);
    Object.assign(baseline.entries[0]!, { reason: 'Vendor tool, replaced in Q1', owner: 'it@contoso.com' });
    writeFileSync(join(cwd, 'b.json'), JSON.stringify(baseline));
    expect((await run(['token', '--now', NOW, '-f', 'json', '--baseline', 'b.json', '-'], cwd, failing)).code).toBe(0);
    const later = await run(['token', '--now', '2027-01-01T00:00:00Z', '-f', 'json', '--baseline', 'b.json', '-'], cwd, failing);
    expect(later.code).toBe(1);
  });

  it('config profile applies under the flag default; --profile on the command line wins', async () => {
    const cwd = workdir({ 'mfa-audit.config.json': { profile: 'graph', format: 'json' } });
    const report = JSON.parse((await run(['token', '--now', NOW, '-'], cwd, passing)).out) as { profile?: string; results: Array<{ checks: Array<{ id: string; status: string }> }> };
    expect(report.results[0]!.checks.find((c) => c.id === 'audience')?.status).toBe('fail');
    const flag = JSON.parse((await run(['token', '--now', NOW, '--profile', 'partner-center', '-'], cwd, passing)).out) as typeof report;
    expect(flag.results[0]!.checks.find((c) => c.id === 'audience')?.status).toBe('pass');
  });
});
