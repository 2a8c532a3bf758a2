/**
 * `mfa-audit tenant --tenant-id X --graph-url https://127.0.0.1:PORT`: the built CLI against the test Graph server
 * over real HTTPS (trusted through NODE_EXTRA_CA_CERTS). The live report equals the offline report of the same data,
 * the saved snapshot is what was served, faults end in the documented exit codes, and no token leaks anywhere.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/core/snapshot.js';
import { GRAPH_KEYS } from '../../src/core/snapshot.js';
import type { Fault, TestGraphServer } from '../helpers/graph-server.js';
import { startTestGraphServer } from '../helpers/graph-server.js';
import { asSnapshotGraph, graphToken, servedTenant } from '../graph/support.js';
import type { CliRun } from '../helpers/built-cli.js';
import { runBuiltCli } from '../helpers/built-cli.js';

const NOW = '2026-11-21T12:00:00Z';
/** The demo tenant with every key collection gathers (beta policies, service principals, role eligibility too). */
const demo = servedTenant();
const TOKEN = graphToken();
const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-live-'));
/** The served tenant as a snapshot file: the offline audit of the same data. */
const SERVED = join(dir, 'served.json');
writeFileSync(SERVED, JSON.stringify(demo));

type Run = CliRun;

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return runBuiltCli(args, { env: { MFA_AUDIT_RETRY_SCALE: '0.001', ...env } });
}

let server: TestGraphServer;
beforeAll(async () => {
  server = await startTestGraphServer({ snapshot: demo, token: TOKEN });
});
afterAll(async () => {
  await server.close();
});

function live(extra: string[] = [], env: Record<string, string> = {}, target = server): Promise<Run> {
  return cli(
    // Evidence from Entra is tested in tenant-evidence.test.ts: off here, so the served data alone decides.
    [
      'tenant',
      '--tenant-id',
      demo.tenantId,
      '--graph-url',
      target.url,
      '--now',
      NOW,
      '--format',
      'json',
      '--no-confirm',
      '--sign-ins',
      '0',
      ...extra,
    ],
    { MFA_AUDIT_ACCESS_TOKEN: TOKEN, NODE_EXTRA_CA_CERTS: target.caFile, ...env },
  );
}

/** The report without `source` (graph vs snapshot is the one thing that must differ). */
function comparable(stdout: string): unknown {
  const { source: _source, ...rest } = JSON.parse(stdout) as Record<string, unknown>;
  return rest;
}

describe('tenant --tenant-id (live, against the test Graph server)', () => {
  it('gives the same report as the offline audit of the same data, and saves exactly what was served', async () => {
    const saved = join(dir, 'saved.json');
    const [online, offline] = await Promise.all([
      live(['--save-snapshot', saved]),
      cli(['tenant', '--snapshot', SERVED, '--now', NOW, '--format', 'json']),
    ]);
    expect(online.stderr).toBe('');
    expect(offline.code).toBeGreaterThan(0);
    expect(online.code).toBe(offline.code);
    expect(comparable(online.stdout)).toEqual(comparable(offline.stdout));
    expect((JSON.parse(online.stdout) as { source: { kind: string } }).source.kind).toBe('graph');

    const snapshot = JSON.parse(readFileSync(saved, 'utf8')) as Snapshot;
    expect(snapshot.format).toBe('mfa-audit-snapshot/1');
    expect(snapshot.tenantId).toBe(demo.tenantId);
    expect(asSnapshotGraph(snapshot.graph)).toEqual(asSnapshotGraph(server.served()));
    expect(snapshot.collectionErrors).toBeUndefined();

    // The saved snapshot replays offline to the same report.
    const replay = await cli(['tenant', '--snapshot', saved, '--now', NOW, '--format', 'json']);
    expect(comparable(replay.stdout)).toEqual(comparable(online.stdout));

    for (const text of [online.stdout, online.stderr, readFileSync(saved, 'utf8')]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(TOKEN.split('.')[1]!);
    }
  });

  it('survives throttling, resets and truncated bodies with the same report', async () => {
    const faults: Fault[] = [
      { path: '/v1.0/users', kind: 'status', status: 429, retryAfter: 2 },
      { path: '/v1.0/users', kind: 'reset' },
      { path: '/v1.0/identity/conditionalAccess/policies', kind: 'status', status: 429 },
      { path: '/v1.0/reports/authenticationMethods/userRegistrationDetails', kind: 'truncated' },
      { path: '/v1.0/domains', kind: 'status', status: 503, retryAfter: 1 },
      { path: '/v1.0/roleManagement/directory/roleAssignments', kind: 'status', status: 500 },
      { path: /transitiveMembers/, kind: 'status', status: 429, retryAfter: 1, inBatch: true, times: 3 },
      { path: /^\/beta\/users\//, kind: 'status', status: 429, inBatch: true, times: 5 },
      { path: '/beta/identity/conditionalAccess/policies', kind: 'status', status: 503 },
      { path: /^\/v1\.0\/servicePrincipals\?/, kind: 'status', status: 429, retryAfter: 1, inBatch: true },
      { path: '/v1.0/roleManagement/directory/roleEligibilityScheduleInstances', kind: 'reset' },
    ];
    const faulty = await startTestGraphServer({ snapshot: demo, token: TOKEN, faults, pageSize: 10 });
    try {
      const [online, offline] = await Promise.all([
        live([], {}, faulty),
        cli(['tenant', '--snapshot', SERVED, '--now', NOW, '--format', 'json']),
      ]);
      expect(faulty.stats.faultsFired).toBe(faults.reduce((n, f) => n + (f.times ?? 1), 0));
      expect(online.stderr).toBe('');
      expect(online.code).toBe(offline.code);
      expect(comparable(online.stdout)).toEqual(comparable(offline.stdout));
    } finally {
      await faulty.close();
    }
  });

  it('a 403 on one endpoint: exit 3, the permission named, the rest of the audit still there', async () => {
    const forbidden = await startTestGraphServer({
      snapshot: demo,
      token: TOKEN,
      // Without Policy.Read.All both the v1.0 and the beta policies are refused.
      faults: [
        {
          path: /^\/(v1\.0|beta)\/identity\/conditionalAccess\/policies/,
          kind: 'status',
          status: 403,
          times: Infinity,
        },
      ],
    });
    try {
      const saved = join(dir, 'forbidden.json');
      const run = await live(['--save-snapshot', saved], {}, forbidden);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/Policy\.Read\.All/);
      const report = JSON.parse(run.stdout) as { summary: { accounts: number; unknown: number; pass: number } };
      expect(report.summary.accounts).toBe((demo.graph[GRAPH_KEYS.users] as unknown[]).length);
      expect(report.summary.unknown).toBeGreaterThan(0);
      expect(run.stdout).toMatch(/Policy\.Read\.All/);
      const snapshot = JSON.parse(readFileSync(saved, 'utf8')) as Snapshot;
      expect(snapshot.graph[GRAPH_KEYS.conditionalAccessPolicies]).toBeUndefined();
      expect(snapshot.collectionErrors?.[GRAPH_KEYS.conditionalAccessPolicies]).toMatch(/403.*Policy\.Read\.All/);
      expect(snapshot.collectionErrors?.[GRAPH_KEYS.conditionalAccessPoliciesBeta]).toMatch(/403.*Policy\.Read\.All/);
      // The service principals of the apps policies name cannot be known without the policies.
      expect(snapshot.graph[GRAPH_KEYS.servicePrincipals]).toBeUndefined();
      expect(run.stdout + run.stderr + readFileSync(saved, 'utf8')).not.toContain(TOKEN);
    } finally {
      await forbidden.close();
    }
  });

  it('a token Graph refuses: one line, exit 3, no report', async () => {
    const other = graphToken({ jti: 'another' });
    const run = await live([], { MFA_AUDIT_ACCESS_TOKEN: other });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^mfa-audit: Graph refused the access token \(401/);
    expect(run.stderr).not.toContain(other);
  });

  it('exhausted retries on the user list: one line, exit 3, no report', async () => {
    const sick = await startTestGraphServer({
      snapshot: demo,
      token: TOKEN,
      faults: [{ path: '/v1.0/users', kind: 'status', status: 503, times: Infinity }],
    });
    try {
      const run = await live([], {}, sick);
      expect(run.code).toBe(3);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/v1\.0\/users/);
    } finally {
      await sick.close();
    }
  });

  it('Graph unreachable: one line, exit 3', async () => {
    const gone = await startTestGraphServer({ snapshot: demo, token: TOKEN });
    await gone.close();
    const run = await live([], {}, gone);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/ECONNREFUSED/);
  });

  it('names the permissions a token lacks before collecting', async () => {
    const narrow = graphToken({ roles: ['User.Read.All', 'Policy.Read.All', 'GroupMember.Read.All'] });
    const target = await startTestGraphServer({ snapshot: demo, token: narrow });
    try {
      const run = await live([], { MFA_AUDIT_ACCESS_TOKEN: narrow }, target);
      expect(run.stderr).toMatch(/lacks RoleManagement\.Read\.Directory, AuditLog\.Read\.All, Domain\.Read\.All/);
      expect(run.stderr).not.toContain(narrow);
    } finally {
      await target.close();
    }
  });

  it('refuses an http:// --graph-url (tokens never travel in clear text)', async () => {
    const run = await cli(['tenant', '--tenant-id', demo.tenantId, '--graph-url', 'http://127.0.0.1:1'], {
      MFA_AUDIT_ACCESS_TOKEN: TOKEN,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/https:\/\//);
  });
});
