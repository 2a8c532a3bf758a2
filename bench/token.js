// `npm run bench` (after `npm run build`): whole-process figures for `mfa-audit token`.
//   floor:      bare `node -e ''` start-up, median of 10 runs
//   one token:  `mfa-audit token` on one token from --file, median of 10 runs   (goal: within 2.5x of the floor)
//   10k tokens: `mfa-audit token --file` with 10,000 tokens, median of 5 runs   (goal: under 1 s beyond start-up)
//   10k table:  the same 10,000 tokens as the human table to a file, median of 5 runs   (goal: under 2 s in all)
// Tokens are made here with a key jose generates; no real token is used. Without --verify the signature is not
// checked, so the 10,000 tokens reuse one signature over varied payloads (the work measured is reading, decoding,
// auditing and reporting).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextEncoder } from 'node:util';
import { CompactSign, generateKeyPair } from 'jose';

const root = new URL('../', import.meta.url);
const bin = new URL('bin/mfa-audit.js', root).pathname;
const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-bench-token-'));
const NOW = '2026-11-21T12:00:00Z';

const claims = JSON.parse(readFileSync(new URL('fixtures/tokens/pc-v1-app-user-mfa.claims.json', root), 'utf8'));
const { privateKey } = await generateKeyPair('RS256');
const sign = (payload) =>
  new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: 'bench-key', x5t: 'bench-key' })
    .sign(privateKey);
const one = await sign(claims);
writeFileSync(join(dir, 'one.txt'), one + '\n');

const [header, , signature] = one.split('.');
const lines = [];
for (let i = 0; i < 10_000; i++) {
  const payload = {
    ...claims,
    oid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    upn: `user${i}@contoso-partner.onmicrosoft.com`,
  };
  if (i % 3 === 1) payload.amr = ['pwd'];
  if (i % 7 === 2) delete payload.scp;
  lines.push(`${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`);
}
writeFileSync(join(dir, 'many.txt'), lines.join('\n') + '\n');

// CPU time (user + system) of finished children, from /proc on Linux: steadier than wall time when other
// processes share the cores. Undefined elsewhere.
const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
function childrenCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / ticks; // cutime + cstime
  } catch {
    return undefined;
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median wall time and median CPU time of `runs` runs. */
function time(args, runs) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const cpuBefore = childrenCpuMs();
    const start = process.hrtime.bigint();
    const child = spawnSync(process.execPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    const cpuAfter = childrenCpuMs();
    if (cpuBefore !== undefined && cpuAfter !== undefined) cpu.push(cpuAfter - cpuBefore);
    if (child.status !== 0 && child.status !== 1) {
      throw new Error(`${args.join(' ')} exited ${child.status}: ${child.stderr}`);
    }
  }
  return { wall: median(wall), cpu: cpu.length > 0 ? median(cpu) : undefined };
}

const fmt = (ms) => `${ms.toFixed(0)} ms`;
time(['-e', ''], 2); // warm the file cache
time([bin, 'token', '--now', NOW, '--file', 'one.txt'], 2);
const floor = time(['-e', ''], 10);
const single = time([bin, 'token', '--now', NOW, '--file', 'one.txt', '--format', 'json'], 10);
const many = time([bin, 'token', '--now', NOW, '--file', 'many.txt', '--format', 'json', '--output', 'report.json'], 5);
const table = time(
  [bin, 'token', '--now', NOW, '--file', 'many.txt', '--format', 'table', '--output', 'report.txt'],
  5,
);
const tableText = readFileSync(join(dir, 'report.txt'), 'utf8');
if (!tableText.includes('10000 tokens:')) throw new Error('the table report does not count 10,000 tokens');
const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
if (report.results.length !== 10_000) throw new Error(`expected 10,000 results, got ${report.results.length}`);

const cpuText = (t) => (t.cpu === undefined ? '' : `, cpu ${fmt(t.cpu)}`);
const ratio = single.wall / floor.wall;
const beyond = many.wall - single.wall;
console.log(`floor (node -e '')            wall ${fmt(floor.wall)}${cpuText(floor)}`);
console.log(
  `token, 1 token                wall ${fmt(single.wall)}${cpuText(single)}   ${ratio.toFixed(2)}x the floor` +
    `   (goal <= 2.5x: ${ratio <= 2.5 ? 'met' : 'MISSED'})`,
);
console.log(
  `token, 10,000 tokens (--file) wall ${fmt(many.wall)}${cpuText(many)}   ${fmt(beyond)} beyond start-up` +
    `   (goal < 1000 ms: ${beyond < 1000 ? 'met' : 'MISSED'})`,
);
console.log(
  `token, 10,000 tokens (table)  wall ${fmt(table.wall)}${cpuText(table)}   ` +
    `(goal < 2000 ms: ${table.wall < 2000 ? 'met' : 'MISSED'})`,
);
if (floor.cpu !== undefined && single.cpu !== undefined && many.cpu !== undefined) {
  console.log(
    `cpu time: 1 token ${(single.cpu / Math.max(floor.cpu, 1)).toFixed(2)}x the floor; 10,000 tokens ` +
      `${fmt(many.cpu - single.cpu)} beyond start-up (steadier than wall time on a busy machine)`,
  );
}
let load = '?';
try {
  load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
} catch {
  // not Linux
}
console.log(
  `JSON report for 10,000 tokens: ${(readFileSync(join(dir, 'report.json')).length / 1e6).toFixed(1)} MB; load average ${load}`,
);
rmSync(dir, { recursive: true, force: true });
