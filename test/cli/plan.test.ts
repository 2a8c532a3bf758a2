/**
 * `mfa-audit plan` on the demo tenant, in process: (a) an exclusion group added opens gaps (exit 1), (b) a legacy
 * authentication block added closes gaps (exit 0), (c) a reformatting of a policy changes nothing (exit 0). Every
 * format of (a) and (b) is a golden file under test/golden/plan/.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { ChangeReport } from '../../src/core/plan/types.js';
import { goldenFiles } from '../helpers/golden.js';
import { memoryIo } from '../helpers/io.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const golden = goldenFiles(new URL('../golden/plan/', import.meta.url));
const NOW = ['--now', '2026-11-21T12:00:00Z', '--quiet'];

async function plan(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: ROOT });
  const code = await runCli(['plan', '--demo', ...NOW, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const CASES = [
  { name: 'exclusion-group-added', exit: 1 },
  { name: 'legacy-auth-block-added', exit: 0 },
] as const;
const FORMATS = { table: 'txt', json: 'json', markdown: 'md', csv: 'csv', junit: 'xml', sarif: 'sarif' } as const;

describe('plan on the demo tenant', () => {
  for (const c of CASES) {
    for (const [format, ext] of Object.entries(FORMATS)) {
      it(`${c.name}: ${format} (exit ${c.exit})`, async () => {
        const run = await plan(['--policies', `test/fixtures/plan/${c.name}`, '--format', format]);
        expect(run.err).toBe('');
        expect(run.code).toBe(c.exit);
        golden(`${c.name}.golden.${ext}`, run.out);
      });
    }
  }

  it('(a) names the account turned from pass and the gap, at the line of the exclusion', async () => {
    const run = await plan(['--policies', 'test/fixtures/plan/exclusion-group-added', '--format', 'json']);
    const { change } = JSON.parse(run.out) as { change: ChangeReport };
    expect(change.summary.regression).toBe(true);
    expect(change.verdictChanges.map((v) => [v.userPrincipalName, v.from, v.to])).toEqual([
      ['grady.archie@northwindcloud.com', 'pass', 'fail'],
    ]);
    expect(change.objectChanges[0]?.fields.map((f) => f.path)).toEqual(['conditions.users.excludeGroups']);
    expect(change.objectChanges[0]?.fieldLines?.['conditions.users.excludeGroups']).toBe(38);
  });

  it('(b) closes the legacy-authentication gap and opens none', async () => {
    const run = await plan(['--policies', 'test/fixtures/plan/legacy-auth-block-added', '--format', 'json']);
    const { change } = JSON.parse(run.out) as { change: ChangeReport };
    expect(change.gapsOpened).toEqual([]);
    expect(change.gapsClosed.length).toBeGreaterThan(0);
    expect(change.verdictChanges.every((v) => v.to === 'pass')).toBe(true);
  });

  it('(c) a reformatted policy (keys reordered, an array of one) reports no change', async () => {
    const run = await plan(['--policies', 'test/fixtures/plan/reformatted-no-op', '--format', 'json']);
    const { change } = JSON.parse(run.out) as { change: ChangeReport };
    expect(run.code).toBe(0);
    expect(change.summary).toMatchObject({ regression: false, verdictChanges: 0, gapsOpened: 0, gapsClosed: 0 });
    expect(change.objectChanges).toEqual([]);
    expect(change.findingsAdded).toEqual([]);
    expect(change.findingsRemoved).toEqual([]);
  });

  it('--remove of an id the baseline does not have is a usage error', async () => {
    const run = await plan(['--remove', 'no-such-policy']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--remove no-such-policy: no policy, named location or authentication strength/);
  });

  it('--remove of a policy that demands MFA opens gaps', async () => {
    const run = await plan(['--remove', 'e032f93e-58ab-4878-882f-91e09d469ffe', '--format', 'json']);
    const { change } = JSON.parse(run.out) as { change: ChangeReport };
    expect(run.code).toBe(1);
    expect(change.objectChanges[0]).toMatchObject({ change: 'removed', id: 'e032f93e-58ab-4878-882f-91e09d469ffe' });
  });

  it('needs a change and exactly one baseline', async () => {
    expect((await plan([])).code).toBe(2);
    const io = memoryIo({ cwd: ROOT });
    expect(await runCli(['plan', '--policies', 'x.json'], io)).toBe(2);
    expect(io.err()).toMatch(/give the baseline/);
  });
});
