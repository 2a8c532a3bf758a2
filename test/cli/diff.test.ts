/**
 * `mfa-audit diff OLD NEW`: a snapshot with itself reports nothing; the demo tenant against the demo tenant with one
 * policy changed lists exactly that change; a tenant JSON report on one side works, without policy fields.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { ChangeReport } from '../../src/core/plan/types.js';
import type { Snapshot } from '../../src/core/snapshot.js';
import { GRAPH_KEYS } from '../../src/core/snapshot.js';
import { memoryIo } from '../helpers/io.js';

const DEMO = new URL('../../fixtures/demo-tenant.json', import.meta.url).pathname;
const CHANGED = new URL('../fixtures/plan/exclusion-group-added/ca003-require-mfa-partner-agents.json', import.meta.url)
  .pathname;
const NOW = ['--now', '2026-11-21T12:00:00Z', '--quiet', '--format', 'json'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mfa-audit-diff-'));
  const snapshot = JSON.parse(readFileSync(DEMO, 'utf8')) as Snapshot;
  const proposed = JSON.parse(readFileSync(CHANGED, 'utf8')) as { id: string };
  const key = GRAPH_KEYS.conditionalAccessPolicies;
  snapshot.graph[key] = (snapshot.graph[key] as { id: string }[]).map((p) => (p.id === proposed.id ? proposed : p));
  writeFileSync(join(dir, 'demo-changed.json'), JSON.stringify(snapshot));
});

async function diff(a: string, b: string): Promise<{ code: number; change: ChangeReport; err: string }> {
  const io = memoryIo({ cwd: dir });
  const code = await runCli(['diff', a, b, ...NOW], io);
  const out = io.out();
  return {
    code,
    change: out ? (JSON.parse(out) as { change: ChangeReport }).change : (undefined as never),
    err: io.err(),
  };
}

describe('diff', () => {
  it('a snapshot with itself reports nothing (exit 0)', async () => {
    const { code, change } = await diff(DEMO, DEMO);
    expect(code).toBe(0);
    expect(change.summary).toEqual({
      regression: false,
      verdictChanges: 0,
      regressions: 0,
      improvements: 0,
      gapsOpened: 0,
      gapsClosed: 0,
      findingsAdded: 0,
      findingsRemoved: 0,
      objectChanges: 0,
      accountsAdded: 0,
      accountsRemoved: 0,
    });
  });

  it('demo against demo with one policy changed lists exactly that change (exit 1)', async () => {
    const { code, change } = await diff(DEMO, 'demo-changed.json');
    expect(code).toBe(1);
    expect(change.objectChanges).toHaveLength(1);
    expect(change.objectChanges[0]).toMatchObject({
      kind: 'policy',
      change: 'changed',
      name: 'CA003 - Require MFA for partner agents',
    });
    expect(change.objectChanges[0]?.fields.map((f) => f.path)).toEqual(['conditions.users.excludeGroups']);
    expect(change.verdictChanges.map((v) => `${v.userPrincipalName}: ${v.from} → ${v.to}`)).toEqual([
      'grady.archie@northwindcloud.com: pass → fail',
    ]);
  });

  it('a tenant JSON report on one side: verdicts compared, policies not (said so)', async () => {
    const io = memoryIo({ cwd: dir });
    await runCli(['tenant', '--snapshot', DEMO, ...NOW, '--output', 'report.json'], io);
    const { code, change } = await diff('report.json', 'demo-changed.json');
    expect(code).toBe(1);
    expect(change.before.kind).toBe('report');
    expect(change.objectChanges).toEqual([]);
    expect(change.objectChangesNote).toMatch(/only when both sides are snapshots/);
    expect(change.verdictChanges).toHaveLength(1);
  });

  it('a file that is neither is an input error (exit 2)', async () => {
    writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
    const { code, err } = await diff('other.json', DEMO);
    expect(code).toBe(2);
    expect(err).toMatch(/neither a snapshot .* nor a tenant JSON report/);
  });
});
