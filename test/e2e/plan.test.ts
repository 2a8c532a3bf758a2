/** End to end: the built CLI gates a policy change (exit 1 / 0) and writes several reports in one run. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/built-cli.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const NOW = ['--now', '2026-11-21T12:00:00Z'];

describe('plan (built CLI)', () => {
  it('an exclusion group added: exit 1, SARIF at the changed line, markdown for the pull request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-plan-e2e-'));
    const run = await runBuiltCli(
      [
        'plan',
        '--demo',
        ...NOW,
        '--policies',
        'test/fixtures/plan/exclusion-group-added',
        '--format',
        'sarif',
        '--output',
        join(dir, 'plan.sarif'),
        '--format',
        'markdown',
        '--output',
        join(dir, 'plan.md'),
      ],
      { cwd: ROOT },
    );
    expect(run.code).toBe(1);
    const sarif = JSON.parse(readFileSync(join(dir, 'plan.sarif'), 'utf8')) as {
      runs: { results: { locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[];
    };
    expect(sarif.runs[0]?.results[0]?.locations[0]?.physicalLocation.region.startLine).toBe(38);
    expect(readFileSync(join(dir, 'plan.md'), 'utf8')).toMatch(/REGRESSION/);
  });

  it('a reformatting: exit 0, nothing reported', async () => {
    const run = await runBuiltCli(
      ['plan', '--demo', ...NOW, '--policies', 'test/fixtures/plan/reformatted-no-op', '--format', 'table', '-q'],
      { cwd: ROOT },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/NO CHANGE/);
  });
});
