// `npm run bench` (after `npm run build`): `mfa-audit plan` on the synthetic tenant with one changed policy, beside a
// plain audit of the same snapshot (goal: plan within 1.5x the audit). Both write their JSON report to a file; plan's
// holds the change and the whole proposed state. The changed policy is the first enabled one, changed in two ways
// (each its own plan): an exclusion group of the tenant added, and its client apps narrowed.
//   BENCH_USERS=20000 node bench/plan.js      # a smaller tenant, for a quick look
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticTenant } from './synthetic-tenant.js';

const bin = new URL('../bin/mfa-audit.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-bench-plan-'));
const runs = Number(process.env.BENCH_RUNS ?? 3);
const users = Number(process.env.BENCH_USERS ?? 100_000);
const NOW = '2026-11-21T12:00:00Z';
const POLICIES = 'v1.0/identity/conditionalAccess/policies';

/** Median wall time (ms) of `count` runs; any exit code but 0, 1 and 3 is a failure. */
function median(label, args, count) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    const child = spawnSync(process.execPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (![0, 1, 3].includes(child.status)) throw new Error(`${label}: exit ${child.status}: ${child.stderr}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

try {
  const snapshot = join(dir, 'synthetic-tenant.json');
  await writeSyntheticTenant(snapshot, { users });
  const data = JSON.parse(readFileSync(snapshot, 'utf8'));
  const policy = data.graph[POLICIES].find((p) => p.state === 'enabled' && p.conditions?.users);
  const group = Object.keys(data.graph)
    .find((k) => k.endsWith('/transitiveMembers'))
    .split('/')[2];
  // Two kinds of change to that policy: whom it targets (an exclusion group added: plan re-evaluates that group), and
  // what it covers (its client apps narrowed: every account it reaches is re-evaluated against the baseline).
  const retargeted = JSON.parse(JSON.stringify(policy));
  retargeted.conditions.users.excludeGroups = [...(retargeted.conditions.users.excludeGroups ?? []), group];
  writeFileSync(join(dir, 'retargeted-policy.json'), JSON.stringify(retargeted, null, 2));
  const narrowed = JSON.parse(JSON.stringify(policy));
  narrowed.conditions.clientAppTypes = ['browser'];
  writeFileSync(join(dir, 'narrowed-policy.json'), JSON.stringify(narrowed, null, 2));
  const common = ['--snapshot', snapshot, '--format', 'json', '--now', NOW, '--quiet'];
  const audit = median('audit', [bin, 'tenant', ...common, '--output', 'audit.json'], runs);
  const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`synthetic tenant: ${users.toLocaleString('en')} users; one policy changed ('${policy.displayName}')`);
  console.log(`tenant --snapshot (json to file)          ${fmt(audit).padStart(8)}   median of ${runs}`);
  for (const [label, file] of [
    ['plan: an exclusion group added', 'retargeted-policy.json'],
    ['plan: client apps narrowed', 'narrowed-policy.json'],
  ]) {
    const plan = median(label, [bin, 'plan', ...common, '--policies', file, '--output', 'plan.json'], runs);
    const change = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).change.summary;
    const ratio = plan / audit;
    console.log(
      `${label.padEnd(40)} ${fmt(plan).padStart(8)}   ${ratio.toFixed(2)}x the audit ` +
        `(goal <= 1.5x: ${ratio <= 1.5 ? 'met' : 'MISSED'}); change: ${change.verdictChanges} verdict changes, ` +
        `${change.gapsOpened} gaps opened`,
    );
    if (ratio > 1.5) process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
