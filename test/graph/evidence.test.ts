/** Evidence collection (src/graph/evidence.ts) through collectLiveSnapshot against the test Graph server. */
import { afterAll, describe, expect, it } from 'vitest';
import { GRAPH_KEYS } from '../../src/core/snapshot.js';
import type { LiveEvidence } from '../../src/graph/live.js';
import { signInQueries } from '../../src/graph/evidence.js';
import { collectLiveSnapshot } from '../../src/graph/live.js';
import { newStats } from '../../src/graph/resilience.js';
import type { GraphServerOptions } from '../../bench/graph-server.js';
import type { TestGraphServer } from '../helpers/graph-server.js';
import { startTestGraphServer } from '../helpers/graph-server.js';
import { memoryIo } from '../helpers/io.js';
import { graphToken, recordingSleep, servedTenant } from './support.js';

const NOW = '2026-11-21T12:00:00Z';
const demo = servedTenant();
const TOKEN = graphToken();
const servers: TestGraphServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function run(options: Omit<GraphServerOptions, 'key' | 'cert' | 'snapshot'>, evidence: Partial<LiveEvidence>) {
  const server = await startTestGraphServer({ snapshot: demo, token: TOKEN, ...options });
  servers.push(server);
  const io = memoryIo({ env: { MFA_AUDIT_ACCESS_TOKEN: TOKEN } });
  const stats = newStats();
  const snapshot = await collectLiveSnapshot(
    {
      tenantId: demo.tenantId,
      graphUrl: server.url,
      now: NOW,
      evidence: { confirm: false, signInDays: 30, whatIf: {}, ...evidence },
    },
    io,
    {
      trustedCa: server.ca,
      stats,
      settings: { sleep: recordingSleep().sleep, timeoutMs: 2000 },
      perUserMfaUsers: () => [],
    },
  );
  return { snapshot, stderr: io.err(), server };
}

const users = (demo.graph[GRAPH_KEYS.users] as { id: string }[]).map((u) => u.id.toLowerCase());

describe('sign-in evidence collection', () => {
  it('counts every successful sign-in per user over short and empty pages, keeping only single-factor rows', async () => {
    const { snapshot, stderr, server } = await run(
      {
        signIns: {
          perUser: 6,
          days: 30,
          now: NOW,
          singleFactorUsers: [users[0]!],
          failureShare: 0.2,
          seed: 3,
          scanBudget: 7,
        },
      },
      {},
    );
    expect(stderr).toBe('');
    const win = snapshot.graph[GRAPH_KEYS.signInWindow] as {
      from: string;
      to: string;
      truncated: boolean;
      users: Record<string, { mfa: number; mfaByClaim: number; singleFactor: number }>;
    };
    expect(win.from).toBe('2026-10-22T12:00:00.000Z');
    expect(win.truncated).toBe(false);
    const counted = Object.values(win.users).reduce((n, c) => n + c.mfa + c.singleFactor, 0);
    expect(counted).toBe(server.stats.signIns.rows);
    // Pages came gzipped, as Graph sends them to a client that accepts it, and were read whole.
    expect(server.stats.gzipped).toBeGreaterThan(0);
    expect(server.stats.signIns.requests).toBeGreaterThan(Math.ceil(counted / 1000));
    const rows = snapshot.graph[GRAPH_KEYS.signIns] as Record<string, unknown>[];
    expect(rows.length).toBe(Object.values(win.users).reduce((n, c) => n + c.singleFactor, 0));
    expect(win.users[users[0]!]!.singleFactor).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.authenticationRequirement).toBe('singleFactorAuthentication');
      expect(Object.keys(row).every((k) => k !== 'userPrincipalName' && k !== 'correlationId')).toBe(true);
    }
  });

  it('asks the server for single-factor and MFA successes apart, the MFA rows lean (details only with federation)', async () => {
    const signIns = { perUser: 4, days: 30, now: NOW, seed: 5 };
    const federated = await run({ signIns }, {});
    const selects = [...federated.server.stats.signIns.selects.keys()];
    expect(selects).toContain('userId,authenticationRequirement,authenticationDetails');
    expect(selects.some((s) => s.startsWith('userId,createdDateTime,status,'))).toBe(true);
    const managedDemo = structuredClone(demo);
    for (const d of managedDemo.graph[GRAPH_KEYS.domains] as { authenticationType: string }[])
      d.authenticationType = 'Managed';
    const server = await startTestGraphServer({ snapshot: managedDemo, token: TOKEN, signIns });
    servers.push(server);
    await collectLiveSnapshot(
      {
        tenantId: demo.tenantId,
        graphUrl: server.url,
        now: NOW,
        evidence: { confirm: false, signInDays: 30, whatIf: {} },
      },
      memoryIo({ env: { MFA_AUDIT_ACCESS_TOKEN: TOKEN } }),
      { trustedCa: server.ca, settings: { timeoutMs: 2000 }, perUserMfaUsers: () => [] },
    );
    expect([...server.stats.signIns.selects.keys()]).toContain('userId,authenticationRequirement');
    expect([...server.stats.signIns.selects.keys()]).not.toContain(
      'userId,authenticationRequirement,authenticationDetails',
    );
  });

  it('a server that ignores the requirement filter cannot make a single-factor sign-in count as MFA', async () => {
    const signIns = { perUser: 5, days: 30, now: NOW, seed: 9, singleFactorUsers: [users[1]!], failureShare: 0 };
    const honest = await run({ signIns }, {});
    const faulty = await run({ signIns: { ...signIns, ignoreFilterOn: ['authenticationRequirement'] } }, {});
    const counts = (s: typeof honest.snapshot) =>
      (s.graph[GRAPH_KEYS.signInWindow] as { users: Record<string, { mfa: number; singleFactor: number }> }).users;
    expect(counts(faulty.snapshot)).toEqual(counts(honest.snapshot));
    expect(counts(honest.snapshot)[users[1]!]).toMatchObject({ mfa: 0, singleFactor: 5 });
    expect(faulty.snapshot.graph[GRAPH_KEYS.signIns]).toEqual(honest.snapshot.graph[GRAPH_KEYS.signIns]);
  });

  it('reads the window in slices that tile it, newest first, each asked for both requirements', () => {
    const now = new Date(NOW);
    const queries = signInQueries({ now, days: 30, concurrency: 8 }, false);
    // Twice as many slices as slots: a chain waiting for its page to be counted leaves its slot to another.
    expect(queries).toHaveLength(32);
    const bounds = queries.map(({ kind, first }) => {
      const filter = decodeURIComponent(/\$filter=([^&]*)/.exec(first)![1]!);
      expect(first.startsWith('beta/auditLogs/signIns?')).toBe(true);
      expect(filter).toContain(`authenticationRequirement eq '${kind}'`);
      expect(filter).toContain('status/errorCode eq 0');
      return [/ge (\S+)/.exec(filter)![1], /lt (\S+)/.exec(filter)?.[1]];
    });
    expect(queries.map((q) => q.kind)).toEqual(
      Array.from({ length: 16 }, () => ['singleFactorAuthentication', 'multiFactorAuthentication']).flat(),
    );
    expect(bounds[0]![1]).toBeUndefined(); // the newest slice is open-ended
    for (let i = 2; i < bounds.length; i += 2) expect(bounds[i]![1]).toBe(bounds[i - 2]![0]);
    expect(bounds.at(-1)![0]).toBe('2026-10-22T12:00:00Z');
    expect(signInQueries({ now, days: 30, concurrency: 32 }, false)).toHaveLength(64);
    expect(signInQueries({ now, days: 30, concurrency: 1 }, false)).toHaveLength(4);
  });

  it('marks the window truncated when the page cap is reached', async () => {
    const { snapshot, stderr } = await run(
      { signIns: { perUser: 6, days: 30, now: NOW, scanBudget: 2 } },
      { maxSignInPages: 2 },
    );
    expect((snapshot.graph[GRAPH_KEYS.signInWindow] as { truncated: boolean }).truncated).toBe(true);
    expect(stderr).toMatch(/stopped after 2 pages; the window is truncated/);
  });

  it('a 403 leaves both keys out with one note naming AuditLog.Read.All', async () => {
    const { snapshot, stderr } = await run({ signIns: { perUser: 2, error: 'forbidden' } }, {});
    expect(snapshot.graph[GRAPH_KEYS.signIns]).toBeUndefined();
    expect(snapshot.graph[GRAPH_KEYS.signInWindow]).toBeUndefined();
    expect(snapshot.collectionErrors).toBeUndefined();
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/AuditLog\.Read\.All/);
  });

  it('What If: one request per planned gap and spot-check, through $batch, stored with the budget', async () => {
    const { snapshot, server } = await run({}, { confirm: true, signInDays: 0, whatIf: { spotChecks: 3 } });
    const stored = snapshot.graph[GRAPH_KEYS.conditionalAccessEvaluate] as unknown[];
    expect(stored.length).toBe(server.stats.whatIf.requests);
    expect(server.stats.batches).toBeGreaterThan(0);
    expect(snapshot.graph['beta/identity/conditionalAccess/evaluate/$plan']).toEqual({ spotChecks: 3 });
    expect(snapshot.graph[GRAPH_KEYS.signIns]).toBeUndefined();
  });

  it('a token without the optional permissions skips both with a note each (default on)', async () => {
    const narrow = graphToken({ roles: ['User.Read.All'] });
    const server = await startTestGraphServer({ snapshot: demo, token: narrow });
    servers.push(server);
    const io = memoryIo({ env: { MFA_AUDIT_ACCESS_TOKEN: narrow } });
    const snapshot = await collectLiveSnapshot(
      {
        tenantId: demo.tenantId,
        graphUrl: server.url,
        now: NOW,
        evidence: { confirm: undefined, signInDays: undefined, whatIf: {} },
      },
      io,
      { trustedCa: server.ca, settings: { sleep: recordingSleep().sleep, timeoutMs: 2000 }, perUserMfaUsers: () => [] },
    );
    expect(io.err()).toMatch(/What If skipped: the token lacks Policy\.Read\.ConditionalAccess/);
    expect(io.err()).toMatch(/sign-in logs skipped: the token lacks AuditLog\.Read\.All/);
    expect(server.stats.whatIf.requests).toBe(0);
    expect(server.stats.signIns.requests).toBe(0);
    expect(snapshot.graph[GRAPH_KEYS.conditionalAccessEvaluate]).toBeUndefined();
  });
});
