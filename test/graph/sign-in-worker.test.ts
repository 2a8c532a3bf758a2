/**
 * The sign-in log read on a worker thread (src/graph/sign-in-worker.ts) against the same log read on this thread, the
 * way every body was read before: the snapshot's sign-in keys are the same, bodies that are not JSON, cut short or
 * not decompressible fail (or are retried) the same way, and the worker never keeps the process alive.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTenant } from '../../bench/collect.js';
import type { GraphServerOptions } from '../../bench/graph-server.js';
import type { Snapshot } from '../../src/core/snapshot.js';
import { GRAPH_KEYS } from '../../src/core/snapshot.js';
import { createGraphTransport } from '../../src/graph/client.js';
import type { EvidenceFigures, SignInWindow } from '../../src/graph/evidence.js';
import { startSignInReading } from '../../src/graph/evidence.js';
import { newStats } from '../../src/graph/resilience.js';
import { settingsFromEnv } from '../../src/graph/settings.js';
import type { TestGraphServer } from '../helpers/graph-server.js';
import { startTestGraphServer } from '../helpers/graph-server.js';
import { testTls } from '../helpers/tls.js';
import { graphToken, recordingSleep, servedTenant } from './support.js';

const NOW = '2026-11-21T12:00:00Z';
const TOKEN = graphToken();
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

async function serve(options: Omit<GraphServerOptions, 'key' | 'cert'>): Promise<TestGraphServer> {
  const server = await startTestGraphServer({ token: TOKEN, ...options });
  closers.push(() => server.close());
  return server;
}

interface Read {
  snapshot: Snapshot;
  notes: string[];
  figures: EvidenceFigures;
  retries: number;
}

/** The sign-in log of `url` read into a copy of `snapshot` (its users and domains decide the MFA fields). */
async function read(
  url: string,
  ca: string,
  snapshot: Snapshot,
  offThread: boolean,
  window: Partial<SignInWindow> = {},
): Promise<Read> {
  const stats = newStats();
  const transport = createGraphTransport({
    graphUrl: url,
    getAccessToken: () => Promise.resolve(TOKEN),
    settings: settingsFromEnv({}, { sleep: recordingSleep().sleep, timeoutMs: 5000, maxAttempts: 3 }),
    stats,
    trustedCa: ca,
  });
  try {
    const into: Snapshot = { ...snapshot, graph: { ...snapshot.graph } };
    const notes: string[] = [];
    const figures: EvidenceFigures = {};
    const reading = startSignInReading(transport, { now: new Date(NOW), days: 30, offThread, ...window });
    await reading.finish(into, (line) => notes.push(line), figures);
    return { snapshot: into, notes, figures, retries: stats.retries };
  } finally {
    transport.close();
  }
}

/** The sign-in keys as a snapshot file shows them; the users' counts in id order (their order is arrival order). */
function signInKeys(snapshot: Snapshot): { rows: string; window: string } {
  const window = snapshot.graph[GRAPH_KEYS.signInWindow] as { users: Record<string, unknown> } | undefined;
  const users = Object.fromEntries(Object.entries(window?.users ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    rows: JSON.stringify(snapshot.graph[GRAPH_KEYS.signIns]),
    window: JSON.stringify(window === undefined ? undefined : { ...window, users }),
  };
}

const SINGLE = 'singleFactorAuthentication';
const MFA = 'multiFactorAuthentication';

describe('the sign-in log read on the worker', () => {
  it('gives the keys read on this thread, byte for byte, for pages large enough to be parsed in groups', async () => {
    const tenant = buildTenant(3000) as Snapshot;
    const users = tenant.graph[GRAPH_KEYS.users] as Array<{ id: string }>;
    const signIns = { perUser: 30, days: 30, now: NOW, seed: 7, singleFactorUsers: [users[3]!.id] };
    const server = await serve({ snapshot: tenant, signIns });
    const onThread = await read(server.url, server.ca, tenant, false);
    const onWorker = await read(server.url, server.ca, tenant, true);
    expect(onWorker.notes).toEqual([]);
    expect(signInKeys(onWorker.snapshot)).toEqual(signInKeys(onThread.snapshot));
    expect(onWorker.figures).toEqual(onThread.figures);
    // 90,000 sign-ins, 2 % of them failed (not asked for); MFA pages of 1,000 rows, each over two groups of PageBytes.
    expect(onWorker.figures.signIns!.rows).toBe(onThread.figures.signIns!.rows);
    expect(onWorker.figures.signIns!.rows).toBeGreaterThan(85_000);
    const window = onWorker.snapshot.graph[GRAPH_KEYS.signInWindow] as { users: Record<string, { mfa: number }> };
    expect(Object.keys(window.users)).toHaveLength(3000);
    expect(window.users[users[0]!.id]!.mfa).toBeGreaterThan(25);
  });

  it('counts a log with every rule at stake the same way: MFA by claim, failures, other requirements, id case', async () => {
    const demo = servedTenant();
    const [a, b] = (demo.graph[GRAPH_KEYS.users] as Array<{ id: string }>).map((u) => u.id);
    const at = (minutes: number) => new Date(Date.parse(NOW) - minutes * 60_000).toISOString();
    const claim = [{ authenticationStepResultDetail: 'MFA requirement satisfied by claim in the token' }];
    const rows = [
      { id: '1', userId: a, createdDateTime: at(5), status: { errorCode: 0 }, authenticationRequirement: MFA },
      {
        id: '2',
        userId: a!.toUpperCase(),
        createdDateTime: at(40_000),
        status: { errorCode: 0 },
        authenticationRequirement: MFA,
        authenticationDetails: claim,
      },
      {
        id: '3',
        userId: b,
        createdDateTime: at(7),
        status: { errorCode: 0 },
        authenticationRequirement: SINGLE,
        appDisplayName: 'Office',
        location: { city: 'Oslo', geoCoordinates: null },
        authenticationDetails: [{ authenticationStepResultDetail: 'Correct password', succeeded: true }],
      },
      { id: '4', userId: b, createdDateTime: at(8), status: { errorCode: 50126 }, authenticationRequirement: SINGLE },
      { id: '5', userId: '', createdDateTime: at(9), status: { errorCode: 0 }, authenticationRequirement: SINGLE },
    ];
    const snapshot = { ...demo, graph: { ...demo.graph, 'v1.0/auditLogs/signIns': rows } };
    const server = await serve({ snapshot, signIns: { now: NOW, defaultTop: 1 } });
    const onThread = await read(server.url, server.ca, demo, false);
    const onWorker = await read(server.url, server.ca, demo, true);
    expect(signInKeys(onWorker.snapshot)).toEqual(signInKeys(onThread.snapshot));
    const window = onWorker.snapshot.graph[GRAPH_KEYS.signInWindow] as { users: Record<string, unknown> };
    expect(window.users).toEqual({
      [a!.toLowerCase()]: { mfa: 2, mfaByClaim: 1, singleFactor: 0 },
      [b!.toLowerCase()]: { mfa: 0, mfaByClaim: 0, singleFactor: 1 },
    });
    expect(onWorker.snapshot.graph[GRAPH_KEYS.signIns]).toHaveLength(1);
  });

  it('retries a sign-in page that is not JSON or cut short, as any page; nothing of it is counted', async () => {
    const demo = servedTenant();
    const signIns = { perUser: 40, days: 30, now: NOW, seed: 3, scanBudget: 9 };
    const clean = await serve({ snapshot: demo, signIns });
    const faulty = await serve({
      snapshot: demo,
      signIns,
      faults: [
        { path: /auditLogs\/signIns/, kind: 'bad-json', skip: 3 },
        { path: /auditLogs\/signIns/, kind: 'truncated', skip: 7 },
      ],
    });
    const expected = await read(clean.url, clean.ca, demo, false);
    const onWorker = await read(faulty.url, faulty.ca, demo, true);
    expect(faulty.stats.faultsFired).toBe(2);
    expect(onWorker.retries).toBe(2);
    expect(onWorker.notes).toEqual([]);
    expect(signInKeys(onWorker.snapshot)).toEqual(signInKeys(expected.snapshot));
  });

  it('a body never JSON, never decompressible, or empty once decompressed fails as on this thread', async () => {
    const { key, cert } = await testTls();
    // Each answer, and the note it gives (none: an empty page) on either thread.
    const answers: Record<string, { body: Buffer; gzip: boolean; note?: RegExp }> = {
      'not JSON': {
        body: gzipSync('{"value":[{"userId":'),
        gzip: true,
        note: /truncated or invalid JSON body \(gave up after 3 attempts\)/,
      },
      'not gzip': { body: Buffer.from('{"value":[]}'), gzip: true, note: /incorrect header check \(Z_DATA_ERROR\)/ },
      'gzip cut short': {
        body: gzipSync('{"value":[]}').subarray(0, 15),
        gzip: true,
        note: /unexpected end of file \(Z_BUF_ERROR\)/,
      },
      empty: { body: gzipSync(''), gzip: true, note: /Unexpected end of JSON input/ },
      'a JSON array': { body: Buffer.from('[1]'), gzip: false },
      'JSON null': { body: gzipSync('null'), gzip: true, note: /Cannot read properties of null/ },
    };
    let answer = answers['not JSON']!;
    const server = createServer({ key, cert }, (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json; odata.metadata=minimal',
        ...(answer.gzip ? { 'content-encoding': 'gzip' } : {}),
      });
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const demo = servedTenant();
    for (const [what, served] of Object.entries(answers)) {
      answer = served;
      const onThread = await read(url, cert, demo, false);
      const onWorker = await read(url, cert, demo, true);
      expect({ what, notes: onWorker.notes, retries: onWorker.retries }).toEqual({
        what,
        notes: onThread.notes,
        retries: onThread.retries,
      });
      expect(signInKeys(onWorker.snapshot)).toEqual(signInKeys(onThread.snapshot));
      if (served.note) {
        expect(onWorker.notes).toHaveLength(1);
        expect(onWorker.notes[0]).toMatch(served.note);
        expect(onWorker.snapshot.graph[GRAPH_KEYS.signInWindow]).toBeUndefined();
      } else expect(onWorker.figures.signIns).toMatchObject({ rows: 0 });
    }
  });
});

describe('the worker thread', () => {
  /** A script run by Node on dist/ (what the CLI runs): prints what it read, then ends without closing anything. */
  function runDist(script: string): Promise<{ code: number | null; stdout: string; ms: number }> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        cwd: new URL('../..', import.meta.url).pathname,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, ms: Date.now() - started }));
    });
  }

  it('holds the process open while a page is read there, never once idle (no close needed to exit)', async () => {
    const run = await runDist(`
      import { gzipSync } from 'node:zlib';
      import { signInPages } from './dist/graph/sign-in-worker.js';
      const pages = signInPages(['userId'], true);
      const ids = ['A', '__proto__', '12', 'b', 'a'];
      const value = ids.map((userId) => ({ userId, authenticationRequirement: '${MFA}' }));
      const body = { value, '@odata.nextLink': 'next' };
      const transport = {
        get: async (_url, { readJson }) =>
          (await readJson({ bytes: gzipSync(JSON.stringify(body)), gzipped: true })).value,
      };
      const page = await pages.read(transport, 'page', '${MFA}');
      const { rows, kept, nextLink } = page;
      const counts = await pages.counts();
      const own = Object.getOwnPropertyNames(counts);
      console.log(JSON.stringify({ page: { rows, kept: kept.rows(), nextLink }, counts, own }));
    `);
    expect(run.code).toBe(0);
    const counted = (mfa: number) => ({ mfa, mfaByClaim: 0, singleFactor: 0 });
    // The object Object.fromEntries makes of the counts in order of first sight: `__proto__` an own key, '12' first.
    const expected = Object.fromEntries([
      ['a', counted(2)],
      ['__proto__', counted(1)],
      ['12', counted(1)],
      ['b', counted(1)],
    ]);
    const printed = JSON.parse(run.stdout) as { page: unknown; counts: unknown; own: string[] };
    expect(printed.page).toEqual({ rows: 5, kept: [], nextLink: 'next' });
    expect(JSON.stringify(printed.counts)).toBe(JSON.stringify(expected));
    expect(printed.own).toEqual(['12', 'a', '__proto__', 'b']);
    expect(run.ms).toBeLessThan(5000);
  });
});
