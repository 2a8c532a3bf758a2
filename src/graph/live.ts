/**
 * Live collection from Microsoft Graph into a snapshot (contract: "Snapshot format"): the token (from
 * MFA_AUDIT_ACCESS_TOKEN or the auth layer's sign-in), its permissions checked before the first Graph call, the
 * transport, the collector, and progress on stderr for people.
 */
import type { Io } from '../cli/io.js';
import { progress } from '../cli/io.js';
import type { TenantCommandOptions } from '../cli/tenant.js';
import type { Snapshot } from '../core/snapshot.js';
import type { AuditOptions } from '../core/tenant/audit.js';
import { CollectionError, UsageError } from '../errors.js';
import type { TokenFacts } from './access-token.js';
import { checkToken, GUID, readTokenFacts } from './access-token.js';
import { createGraphTransport } from './client.js';
import { collectSnapshot } from './collector.js';
import { newStats } from './resilience.js';
import type { CollectionSettings } from './settings.js';
import { settingsFromEnv } from './settings.js';

export const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com';
export const ACCESS_TOKEN_ENV = 'MFA_AUDIT_ACCESS_TOKEN';

/** Test seams (optional): an extra trusted CA for in-process tests, settings, the per-user MFA selection. */
export interface LiveSeams {
  trustedCa?: string;
  settings?: Partial<CollectionSettings>;
  /** Called per group of user pages (see CollectOptions.perUserMfaUsers); ids outside the group are ignored. */
  perUserMfaUsers?: (snapshot: Snapshot) => string[] | Promise<string[]>;
  /** Filled with the run's request figures (for tests and the benchmark). */
  stats?: ReturnType<typeof newStats>;
}

export async function collectLiveSnapshot(
  options: TenantCommandOptions,
  io: Io,
  seams: LiveSeams = {},
): Promise<Snapshot> {
  const tenantId = (options.tenantId ?? '').trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(tenantId)) {
    throw new UsageError(`--tenant-id '${options.tenantId ?? ''}' is not a tenant id (GUID) or domain name`);
  }
  const graphUrl = parseGraphUrl(options.graphUrl ?? DEFAULT_GRAPH_URL);
  const now = options.now !== undefined ? new Date(options.now) : io.now();
  const say = progress(io, options);
  const note = (line: string): void => {
    if (!options.quiet) io.stderr.write(`mfa-audit: note: ${line}\n`);
  };

  // The token: from the environment, or signed in by the auth layer. Checked before Graph is called.
  const envToken = io.env[ACCESS_TOKEN_ENV]?.trim()
    .replace(/^(["'])(.*)\1$/s, '$2')
    .trim()
    .replace(/^bearer\s+/i, '');
  let getAccessToken: () => Promise<string>;
  let facts: TokenFacts | undefined;
  if (envToken) {
    getAccessToken = async () => envToken;
    facts = readTokenFacts(envToken);
    for (const line of checkToken(facts, tenantId, now, ACCESS_TOKEN_ENV)) note(line);
  } else {
    const { graphTokenProvider } = await import('../auth/for-commands.js');
    const provider = await graphTokenProvider(options, io);
    const firstToken = await provider.getAccessToken();
    getAccessToken = () => provider.getAccessToken();
    facts = readTokenFacts(firstToken);
    for (const line of checkToken(facts, tenantId, now, `the token (${provider.describe})`)) note(line);
  }

  const settings = settingsFromEnv(io.env, seams.settings);
  const stats = seams.stats ?? newStats();
  const transport = createGraphTransport({
    graphUrl,
    getAccessToken,
    settings,
    stats,
    trustedCa: seams.trustedCa,
    onWait: (ms, why) => {
      if (ms >= 1000) say(`  throttled: waiting ${(ms / 1000).toFixed(1)} s (${why})`);
    },
  });
  const started = Date.now();
  try {
    const snapshot = await collectSnapshot(transport, {
      // A domain given as --tenant-id is reported as the tenant's id, which the token names.
      tenantId: GUID.test(tenantId) ? tenantId : (facts?.tenantId ?? tenantId),
      collectedAt: now.toISOString(),
      say,
      perUserMfaUsers: seams.perUserMfaUsers ?? (await enginePerUserMfaSelection(options, io, now)),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    say(
      `Collected in ${seconds} s: ${stats.requests} requests (${stats.batchSubRequests} in batches), ` +
        `${stats.throttled} throttled, ${stats.retries} retries, ${(stats.waitedMs / 1000).toFixed(1)} s waiting`,
    );
    const missing = Object.keys(snapshot.collectionErrors ?? {});
    if (missing.length > 0) {
      note(`${missing.length} part(s) could not be collected; what depends on them is unknown:`);
      for (const key of missing.slice(0, 10)) note(`  ${key}: ${snapshot.collectionErrors![key]}`);
      if (missing.length > 10) note(`  … and ${missing.length - 10} more (see collectionErrors in --save-snapshot)`);
    }
    return snapshot;
  } finally {
    transport.close();
  }
}

/** --graph-url: an https:// root (the Graph client sends tokens only over HTTPS). */
export function parseGraphUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new UsageError(`--graph-url '${value}' is not a URL (e.g. https://graph.microsoft.us)`);
  }
  if (url.protocol !== 'https:') {
    throw new UsageError(`--graph-url '${value}' must use https:// (Graph tokens are never sent in clear text)`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new UsageError(`--graph-url '${value}' must be a root URL without query, fragment or credentials`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** The engine decides whose per-user MFA state matters, with the same designations the audit will use. */
async function enginePerUserMfaSelection(
  options: TenantCommandOptions,
  io: Io,
  now: Date,
): Promise<(snapshot: Snapshot) => string[]> {
  const [{ usersNeedingPerUserMfaState }, { parseAccountDesignations }] = await Promise.all([
    import('../core/tenant/audit.js'),
    import('../input/service-accounts.js'),
  ]);
  const auditOptions: AuditOptions = { now, ...(await parseAccountDesignations(options, io.cwd)) };
  return (snapshot) => {
    try {
      return usersNeedingPerUserMfaState(snapshot, auditOptions);
    } catch (error) {
      throw new CollectionError(`cannot choose users for per-user MFA state: ${(error as Error).message}`);
    }
  };
}
