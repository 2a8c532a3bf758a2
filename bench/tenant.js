// `npm run bench` (after `npm run build`): whole-process figures for `mfa-audit tenant --snapshot`.
//   floor:  one node process that reads and JSON.parses the same snapshot file (what no audit can beat)
//   audit:  `mfa-audit tenant --snapshot FILE --format json --output OUT`   (goal: within 3x the floor, < 2 GB)
//   demo:   `mfa-audit tenant --demo --format json` beside a bare `node -e ''` start-up
// The snapshot is synthetic (bench/synthetic-tenant.js: 100,000 users, 2,000 groups with nesting, 200 policies of
// mixed shapes). Wall time is the median of BENCH_RUNS runs (default 3; the demo 5); peak memory is the largest
// maximum resident set size seen, from /usr/bin/time when present, else from the process's own resourceUsage().
//   BENCH_USERS=20000 node bench/tenant.js      # a smaller tenant, for a quick look
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticTenant } from './synthetic-tenant.js';

const root = new URL('../', import.meta.url);
const bin = new URL('bin/mfa-audit.js', root).pathname;
const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-bench-tenant-'));
const runs = Number(process.env.BENCH_RUNS ?? 3);
const users = Number(process.env.BENCH_USERS ?? 100_000);
const NOW = '2026-11-21T12:00:00Z';
const GNU_TIME = '/usr/bin/time';
const haveTime = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%M', 'true']).status === 0;

/** Reports the child's peak RSS (kB) to a file when /usr/bin/time is not there. */
const maxRssPreload =
  'data:text/javascript,' +
  encodeURIComponent(
    "import { writeFileSync } from 'node:fs';" +
      'process.on("exit", () => writeFileSync(process.env.MFA_AUDIT_BENCH_RSS, String(process.resourceUsage().maxRSS)));',
  );

/** One run: wall time (ms), peak RSS (MB), exit code. */
function measure(args) {
  const rssFile = join(dir, 'rss.txt');
  rmSync(rssFile, { force: true });
  const command = haveTime ? GNU_TIME : process.execPath;
  const commandArgs = haveTime
    ? ['-f', '%M', '-o', rssFile, process.execPath, ...args]
    : ['--import', maxRssPreload, ...args];
  const start = process.hrtime.bigint();
  const child = spawnSync(command, commandArgs, {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MFA_AUDIT_BENCH_RSS: rssFile, NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : NaN;
  return { ms, mb: rssKb / 1024, code: child.status, stderr: String(child.stderr ?? '') };
}

function series(label, args, count, okCodes) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const sample = measure(args);
    if (!okCodes.includes(sample.code)) {
      throw new Error(`${label}: exited ${sample.code}: ${sample.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    }
    samples.push(sample);
  }
  const times = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    ms: times[Math.floor(times.length / 2)],
    mb: Math.max(...samples.map((s) => s.mb)),
    code: samples.at(-1).code,
    stderr: samples.at(-1).stderr,
  };
}

const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const fmtMb = (mb) => (Number.isFinite(mb) ? `${mb.toFixed(0)} MB` : 'n/a');
const row = (label, r, extra = '') =>
  console.log(`${label.padEnd(34)} ${fmtMs(r.ms).padStart(8)}  ${fmtMb(r.mb).padStart(8)}  ${extra}`);

try {
  const snapshot = join(dir, 'synthetic-tenant.json');
  const started = process.hrtime.bigint();
  const stats = await writeSyntheticTenant(snapshot, { users });
  const built = Number(process.hrtime.bigint() - started) / 1e6;
  const size = statSync(snapshot).size / 1e6;
  console.log(
    `synthetic tenant: ${stats.users.toLocaleString('en')} users, ${stats.groups.toLocaleString('en')} groups ` +
      `(${stats.memberships.toLocaleString('en')} transitive memberships), ${stats.policies} policies; ` +
      `${size.toFixed(0)} MB, built in ${fmtMs(built)}`,
  );
  console.log(
    `peak memory from ${haveTime ? '/usr/bin/time' : 'process.resourceUsage().maxRSS'}; median of ${runs} runs\n`,
  );
  console.log(`${''.padEnd(34)} ${'wall'.padStart(8)}  ${'peak RSS'.padStart(8)}`);

  const floorArgs = ['-e', `JSON.parse(require('node:fs').readFileSync(${JSON.stringify(snapshot)}, 'utf8'))`];
  const auditArgs = [
    bin,
    'tenant',
    '--snapshot',
    snapshot,
    '--format',
    'json',
    '--output',
    join(dir, 'report.json'),
    '--now',
    NOW,
  ];
  series('warm-up', floorArgs, 1, [0]);
  const floor = series('floor', floorArgs, runs, [0]);
  row('floor (read + JSON.parse)', floor);
  const audit = series('audit', auditArgs, runs, [0, 1, 3]);
  const ratio = audit.ms / floor.ms;
  row(
    'tenant --snapshot (json to file)',
    audit,
    `${ratio.toFixed(2)}x the floor (goal <= 3x: ${ratio <= 3 ? 'met' : 'MISSED'}); ` +
      `peak < 2 GB: ${audit.mb < 2048 ? 'met' : Number.isFinite(audit.mb) ? 'MISSED' : 'n/a'}`,
  );
  const reportPath = join(dir, 'report.json');
  if (!existsSync(reportPath)) {
    // An audit that wrote no report is not a figure: say why, and fail the benchmark.
    const why = audit.stderr.trim().split('\n').slice(-2).join(' | ') || `exit ${audit.code}`;
    console.log(`${''.padEnd(34)} NO REPORT WRITTEN (exit ${audit.code}): ${why}\n`);
    process.exitCode = 1;
  } else {
    const bytes = statSync(reportPath).size;
    let counts = '';
    if (bytes < 400e6) {
      const report = JSON.parse(readFileSync(reportPath, 'utf8'));
      if (report.accounts.length !== stats.users) {
        throw new Error(`expected ${stats.users} accounts in the report, got ${report.accounts.length}`);
      }
      const s = report.summary;
      counts = `; ${s.pass} pass, ${s.fail} fail, ${s.exempt} exempt, ${s.unknown} unknown`;
    }
    console.log(`${''.padEnd(34)} report: ${(bytes / 1e6).toFixed(0)} MB${counts}\n`);
  }

  const start = series('node start-up', ['-e', ''], 5, [0]);
  row("node -e ''", start);
  const demo = series('demo', [bin, 'tenant', '--demo', '--format', 'json', '--now', NOW], 5, [1]);
  row('tenant --demo (json)', demo, `${(demo.ms / start.ms).toFixed(2)}x bare node start-up`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
