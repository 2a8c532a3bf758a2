/**
 * Failures that retrying cannot fix end at once: a name that does not resolve, a refused connection, a certificate
 * that is not valid for the host. One line names the host and the cause; nothing is labelled "throttled". With the
 * real backoff (no recorded sleeps), each run must end in well under the 2 s budget. Only loopback is contacted; DNS
 * failures come from an injected lookup, so no DNS server is asked.
 */
import type { LookupFunction } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CollectionError } from '../../src/errors.js';
import { createGraphTransport, GraphRequestError } from '../../src/graph/client.js';
import { collectSnapshot } from '../../src/graph/collector.js';
import { newStats } from '../../src/graph/resilience.js';
import { settingsFromEnv } from '../../src/graph/settings.js';
import type { TestGraphServer } from '../helpers/graph-server.js';
import type { WrongNameServer } from './local-listeners.js';
import { closedPort, wrongNameServer } from './local-listeners.js';
import { collect, demoSnapshot, graphToken } from './support.js';

const BUDGET_MS = 2000;

/** A Graph "server" that is only a URL (and the CA to trust, if any). */
const at = (url: string, ca?: string) => ({ url, ca }) as unknown as TestGraphServer;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

/** The run ended with one CollectionError line, quickly, with no retry and no word of throttling. */
function expectEndedAtOnce(run: Awaited<ReturnType<typeof collect>>, ms: number, message: RegExp): void {
  expect(run.error).toBeInstanceOf(CollectionError);
  expect(run.error!.message).toMatch(message);
  expect(run.error!.message).not.toMatch(/\n/);
  expect(run.error!.message).not.toMatch(/throttl|gave up|attempts/i);
  expect(run.stderr).not.toMatch(/throttl/i);
  expect(run.stats.retries).toBe(0);
  expect(run.stats.throttled).toBe(0);
  expect(ms).toBeLessThan(BUDGET_MS);
}

describe('a refused connection', () => {
  it('ends at once with "<host>:<port>: connection refused"', async () => {
    const port = await closedPort();
    const { value: run, ms } = await timed(() =>
      collect(at(`https://127.0.0.1:${port}`), { realTime: true, tty: true }),
    );
    expectEndedAtOnce(
      run,
      ms,
      new RegExp(`^cannot connect to Graph at 127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\)$`),
    );
  });
});

describe('TLS certificates', () => {
  let tls: WrongNameServer | undefined;
  beforeAll(async () => {
    // Made before any timing starts (key generation takes a moment).
    (await wrongNameServer()).close().catch(() => {});
  });
  afterEach(async () => {
    await tls?.close();
    tls = undefined;
  });

  it('a certificate for another name ends at once, before any request reaches the server', async () => {
    tls = await wrongNameServer();
    const server = tls;
    const { value: run, ms } = await timed(() => collect(at(server.url, server.ca), { realTime: true, tty: true }));
    const host = new URL(server.url).host.replace(/\./g, '\\.');
    expectEndedAtOnce(
      run,
      ms,
      new RegExp(
        `^cannot connect to Graph at ${host}: the server's TLS certificate is not valid for this name \\(ERR_TLS_CERT_ALTNAME_INVALID\\)$`,
      ),
    );
    expect(server.requests()).toBe(0);
  });

  it('an untrusted (self-signed) certificate ends at once and says how to trust a CA', async () => {
    tls = await wrongNameServer();
    const server = tls;
    const { value: run, ms } = await timed(() => collect(at(server.url), { realTime: true }));
    expectEndedAtOnce(
      run,
      ms,
      /^cannot connect to Graph at 127\.0\.0\.1:\d+: the server's TLS certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT; NODE_EXTRA_CA_CERTS adds a CA\)$/,
    );
  });
});

/** A lookup that fails like getaddrinfo does, and counts its calls; no DNS server is asked. */
function failingLookup(code: 'ENOTFOUND' | 'EAI_AGAIN'): { lookup: LookupFunction; calls: () => number } {
  let calls = 0;
  const lookup = ((hostname: string, _options: unknown, callback: (error: Error) => void) => {
    calls++;
    const error = Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), {
      code,
      syscall: 'getaddrinfo',
      hostname,
    });
    process.nextTick(() => callback(error));
  }) as unknown as LookupFunction;
  return { lookup, calls: () => calls };
}

async function collectVia(lookup: LookupFunction, sleep?: (ms: number) => Promise<void>) {
  const stats = newStats();
  const transport = createGraphTransport({
    graphUrl: 'https://graph.example.test',
    getAccessToken: () => Promise.resolve(graphToken()),
    settings: settingsFromEnv({}, { timeoutMs: 2000, ...(sleep ? { sleep } : {}) }),
    stats,
    lookup,
  });
  try {
    const snapshot = await collectSnapshot(transport, {
      tenantId: demoSnapshot().tenantId,
      collectedAt: '2026-11-21T12:00:00Z',
      perUserMfaUsers: () => [],
    });
    return { snapshot, stats };
  } catch (error) {
    return { error: error as Error, stats };
  } finally {
    transport.close();
  }
}

describe('DNS', () => {
  it('a name that does not resolve ends at once with "<host>: the name does not resolve (ENOTFOUND)"', async () => {
    const dns = failingLookup('ENOTFOUND');
    const { value: run, ms } = await timed(() => collectVia(dns.lookup));
    expect(run.error).toBeInstanceOf(CollectionError);
    expect(run.error!.message).toBe(
      'cannot connect to Graph at graph.example.test: the name does not resolve (ENOTFOUND)',
    );
    expect(run.stats.retries).toBe(0);
    expect(ms).toBeLessThan(BUDGET_MS);
  });

  it('one request: the transport error is a GraphRequestError naming the host', async () => {
    const dns = failingLookup('ENOTFOUND');
    const transport = createGraphTransport({
      graphUrl: 'https://graph.example.test',
      getAccessToken: () => Promise.resolve(graphToken()),
      settings: settingsFromEnv({}, { timeoutMs: 2000 }),
      stats: newStats(),
      lookup: dns.lookup,
    });
    try {
      const error = (await transport.get('v1.0/users').catch((e: unknown) => e)) as GraphRequestError;
      expect(error).toBeInstanceOf(GraphRequestError);
      expect(error.status).toBe(0);
      expect(error.message).toBe('graph.example.test: the name does not resolve (ENOTFOUND)');
      expect(dns.calls()).toBe(1);
    } finally {
      transport.close();
    }
  });

  it('a temporary DNS failure (EAI_AGAIN) is retried a little, then ends with the host and the cause', async () => {
    const dns = failingLookup('EAI_AGAIN');
    const waits: number[] = [];
    const run = await collectVia(dns.lookup, async (ms) => void waits.push(ms));
    expect(run.error).toBeInstanceOf(CollectionError);
    expect(run.error!.message).toBe(
      'cannot connect to Graph at graph.example.test: the name could not be resolved for now (EAI_AGAIN, a temporary DNS failure)',
    );
    // Three attempts per request (not the six of throttling), one lookup each, the normal backoff in between.
    const first = run.stats.requests - run.stats.retries;
    expect(run.stats.retries).toBeGreaterThan(0);
    expect(run.stats.requests).toBe(3 * first);
    expect(dns.calls()).toBe(run.stats.requests);
    expect(Math.max(...waits)).toBeLessThanOrEqual(2000);
  });
});
