/**
 * Live collection from Microsoft Graph into a snapshot, the same document `--snapshot` reads: the token (from
 * MFA_AUDIT_ACCESS_TOKEN or the auth layer's sign-in), its permissions checked before the first Graph call, the
 * transport, the collector, and progress on stderr for people.
 */
import type { GraphSignInRequest } from '../auth/acquire.js';
import type { Snapshot } from '../core/snapshot.js';
import type { AuditOptions } from '../core/tenant/audit.js';
import type { WhatIfOptions } from '../core/tenant/what-if-plan.js';
import { CollectionError, UsageError } from '../errors.js';
import type { AccountDesignations } from '../input/service-accounts.js';
import type { Io } from '../io.js';
import { parseNow, progress } from '../io.js';
import type { TokenFacts } from './access-token.js';
import { checkToken, GUID, readTokenFacts } from './access-token.js';
import type { GraphTransport } from './client.js';
import { createGraphTransport } from './client.js';
import { collectSnapshot } from './collector.js';
import type { SignInReading } from './evidence.js';
import { newStats } from './resilience.js';
import type { CollectionSettings } from './settings.js';
import { settingsFromEnv } from './settings.js';

export const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com';
const ACCESS_TOKEN_ENV = 'MFA_AUDIT_ACCESS_TOKEN';

/** Test seams (optional): an extra trusted CA for in-process tests, settings, the per-user MFA selection. */
export interface LiveSeams {
  trustedCa?: string;
  settings?: Partial<CollectionSettings>;
  /** Called per group of user pages (see CollectOptions.perUserMfaUsers); ids outside the group are ignored. */
  perUserMfaUsers?: (snapshot: Snapshot) => string[] | Promise<string[]>;
  /** Filled with the run's request figures (for tests and the benchmark). */
  stats?: ReturnType<typeof newStats>;
}

/**
 * --graph-url, parsed once. `root` is where requests go (a path is kept: a proxy or test server may serve Graph
 * under one); `origin` names the resource tokens are requested for, and its host the national cloud.
 */
export interface GraphEndpoint {
  root: string;
  origin: string;
}

/** What one live collection needs, every value already checked. */
export interface LiveCollectionRequest {
  /** A tenant id (GUID) or domain name, trimmed. */
  tenantId: string;
  graph: GraphEndpoint;
  /** The instant the snapshot is stamped with and tokens are checked at. */
  now: Date;
  /** No progress and no notes on stderr. */
  quiet: boolean;
  /** The audit's break-glass and service accounts: they decide whose per-user MFA state is fetched. */
  designations: AccountDesignations;
  /** How to sign in when MFA_AUDIT_ACCESS_TOKEN is not set (the tenant and the Graph origin come from above). */
  signIn: Omit<GraphSignInRequest, 'tenantId' | 'graphOrigin'>;
  /** Evidence from Entra once the snapshot is complete (absent: none). */
  evidence?: LiveEvidence;
}

/** `--confirm`, `--confirm-budget`, `--sign-ins`: `undefined` means "when the token allows it". */
export interface LiveEvidence {
  confirm: boolean | undefined;
  /** Days of sign-ins; undefined: 30 when the token allows it. */
  signInDays: number | undefined;
  whatIf: WhatIfOptions;
  /** Pages of sign-ins read at most (default 20,000); beyond it the window is marked truncated. */
  maxSignInPages?: number;
}

/** Graph keeps sign-ins 30 days (Entra ID P1/P2). */
const DEFAULT_SIGN_IN_DAYS = 30;

/** A live collection asked for in plain strings, as callers without the command line give it (the benchmark). */
export interface LiveCollectionInput {
  tenantId: string;
  graphUrl?: string;
  /** ISO-8601; the clock when absent. */
  now?: string;
  quiet?: boolean;
  /** Evidence from Entra (absent: none). */
  evidence?: LiveEvidence;
}

const NO_DESIGNATIONS: AccountDesignations = { breakGlass: [], serviceAccounts: { patterns: [], upns: [] } };

/**
 * Collects with the checks the tenant command makes on the same values, no break-glass or service accounts, and
 * sign-in from the environment only.
 */
export async function collectLiveSnapshot(
  input: LiveCollectionInput,
  io: Io,
  seams: LiveSeams = {},
): Promise<Snapshot> {
  const request: LiveCollectionRequest = {
    tenantId: parseTenantId(input.tenantId),
    graph: parseGraphEndpoint(input.graphUrl ?? DEFAULT_GRAPH_URL),
    now: parseNow(input.now, io),
    quiet: input.quiet === true,
    designations: NO_DESIGNATIONS,
    signIn: {},
    evidence: input.evidence,
  };
  return collectLive(request, io, seams);
}

export async function collectLive(request: LiveCollectionRequest, io: Io, seams: LiveSeams = {}): Promise<Snapshot> {
  const { tenantId, graph, now } = request;
  const say = progress(io, request.quiet);
  const note = (line: string): void => {
    if (!request.quiet) io.stderr.write(`mfa-audit: note: ${line}\n`);
  };

  // The token: from the environment, or signed in by the auth layer. Checked before Graph is called.
  const envToken = io.env[ACCESS_TOKEN_ENV]?.trim()
    .replace(/^(["'])(.*)\1$/s, '$2')
    .trim()
    .replace(/^bearer\s+/i, '');
  let getAccessToken: () => Promise<string>;
  let facts: TokenFacts | undefined;
  if (envToken) {
    getAccessToken = () => Promise.resolve(envToken);
    facts = readTokenFacts(envToken);
    for (const line of checkToken(facts, tenantId, now, ACCESS_TOKEN_ENV)) note(line);
  } else {
    const { graphTokenProvider } = await import('../auth/acquire.js');
    const provider = await graphTokenProvider({ ...request.signIn, tenantId, graphOrigin: graph.origin }, io);
    const firstToken = await provider.getAccessToken();
    getAccessToken = () => provider.getAccessToken();
    facts = readTokenFacts(firstToken);
    for (const line of checkToken(facts, tenantId, now, `the token (${provider.describe})`)) note(line);
  }

  const settings = settingsFromEnv(io.env, seams.settings);
  const stats = seams.stats ?? newStats();
  const transport = createGraphTransport({
    graphUrl: graph.root,
    getAccessToken,
    settings,
    stats,
    trustedCa: seams.trustedCa,
    onWait: (ms, why, kind) => {
      if (ms >= 1000)
        say(`  ${kind === 'throttled' ? 'throttled' : 'retrying'}: waiting ${(ms / 1000).toFixed(1)} s (${why})`);
    },
  });
  const started = Date.now();
  const signInDays = await signInDaysToRead(request.evidence, facts);
  const evidenceModule = signInDays > 0 ? await import('./evidence.js') : undefined;
  let signInReading: SignInReading | undefined;
  try {
    const collecting = collectSnapshot(transport, {
      // A domain given as --tenant-id is reported as the tenant's id, which the token names.
      tenantId: GUID.test(tenantId) ? tenantId : (facts?.tenantId ?? tenantId),
      collectedAt: now.toISOString(),
      say,
      perUserMfaUsers: seams.perUserMfaUsers ?? (await enginePerUserMfaSelection(request.designations, now)),
      // The MFA chains of the sign-in log need only the users and domains: they start then, in the slots the rest of
      // the collection leaves free.
      onUsersAndDomains: (sofar) => signInReading?.startMultiFactor(sofar),
    });
    // The sign-in log's reading starts with the collection (see startSignInReading), in the slots it leaves free.
    signInReading = evidenceModule?.startSignInReading(transport, {
      now,
      days: signInDays,
      maxPages: request.evidence?.maxSignInPages,
    });
    const snapshot = await collecting;
    if (request.evidence) await collectEntraEvidence(transport, snapshot, request, facts, { say, note }, signInReading);
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
    signInReading?.close();
    transport.close();
  }
}

/** The days of sign-ins collectEntraEvidence will read (0: none), decided the same way, without its notes. */
async function signInDaysToRead(evidence: LiveEvidence | undefined, facts: TokenFacts | undefined): Promise<number> {
  const days = evidence === undefined ? 0 : (evidence.signInDays ?? DEFAULT_SIGN_IN_DAYS);
  if (days <= 0) return 0;
  if (evidence?.signInDays !== undefined) return days;
  const { allowsOptional } = await import('./permissions.js');
  return allowsOptional(facts?.permissions, 'signIns') ? days : 0;
}

/**
 * What If and sign-ins, each when asked for (`true`) or, by default, when the token's permissions allow it. Asked for
 * explicitly but not granted: one note, and the request is still tried (a token's claims can be out of date).
 */
async function collectEntraEvidence(
  transport: GraphTransport,
  snapshot: Snapshot,
  request: LiveCollectionRequest,
  facts: TokenFacts | undefined,
  out: { say: (line: string) => void; note: (line: string) => void },
  signInReading: SignInReading | undefined,
): Promise<void> {
  const { OPTIONAL_PERMISSIONS, allowsOptional } = await import('./permissions.js');
  const evidence = request.evidence!;
  const skipped = (kind: keyof typeof OPTIONAL_PERMISSIONS, what: string): void => {
    const need = OPTIONAL_PERMISSIONS[kind];
    out.note(`${what} skipped: the token lacks ${need.grant} (optional); ${need.without}`);
  };
  // Asked for explicitly: tried (a token's claims can be out of date); a refusal gives the one note.
  const confirm = evidence.confirm ?? allowsOptional(facts?.permissions, 'whatIf');
  if (!confirm && evidence.confirm === undefined) skipped('whatIf', 'Conditional Access What If');
  // Sign-ins were decided before the collection (signInDaysToRead): the reading started with it, or was skipped.
  const days = evidence.signInDays ?? DEFAULT_SIGN_IN_DAYS;
  if (days > 0 && !signInReading) skipped('signIns', 'sign-in logs');
  const signInDays = signInReading ? days : 0;
  if (!confirm && signInDays === 0) return;
  out.say(
    `Collecting evidence from Entra: ${[confirm && 'What If for gaps and spot-checks', signInDays > 0 && `${signInDays} days of sign-ins`].filter(Boolean).join(', ')}…`,
  );
  const { collectEvidence } = await import('./evidence.js');
  const auditOptions: AuditOptions = { now: request.now, ...request.designations, whatIf: evidence.whatIf };
  const figures = await collectEvidence(
    transport,
    snapshot,
    {
      confirm,
      signInDays,
      auditOptions,
      maxSignInPages: evidence.maxSignInPages,
      signInReading,
    },
    out.note,
  );
  if (figures.whatIf) {
    const w = figures.whatIf;
    out.say(`  What If: ${w.requests} requests (${w.gaps} gaps, ${w.spotChecks} spot-checks)`);
  }
  if (figures.signIns) {
    const s = figures.signIns;
    out.say(
      `  sign-ins: ${s.rows} rows in ${s.pages} pages, ${s.kept} single-factor kept${s.truncated ? ' (truncated)' : ''}`,
    );
  }
}

/** --tenant-id: a tenant id (GUID) or a domain name, trimmed. */
export function parseTenantId(value: string): string {
  const tenantId = value.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(tenantId)) {
    throw new UsageError(`--tenant-id '${value}' is not a tenant id (GUID) or domain name`);
  }
  return tenantId;
}

/** --graph-url: an https:// root (the Graph client sends tokens only over HTTPS), without a trailing slash. */
export function parseGraphEndpoint(value: string): GraphEndpoint {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch (error) {
    throw new UsageError(`--graph-url '${value}' is not a URL (e.g. https://graph.microsoft.us)`, { cause: error });
  }
  if (url.protocol !== 'https:') {
    throw new UsageError(`--graph-url '${value}' must use https:// (Graph tokens are never sent in clear text)`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new UsageError(`--graph-url '${value}' must be a root URL without query, fragment or credentials`);
  }
  return { root: url.origin + url.pathname.replace(/\/+$/, ''), origin: url.origin };
}

/** The root alone (see parseGraphEndpoint). */
export function parseGraphUrl(value: string): string {
  return parseGraphEndpoint(value).root;
}

/**
 * The engine decides whose per-user MFA state matters, with the same designations the audit will use; in slices, so
 * the answers of the requests in flight are read while it decides.
 */
async function enginePerUserMfaSelection(
  designations: AccountDesignations,
  now: Date,
): Promise<(snapshot: Snapshot) => Promise<string[]>> {
  const [{ usersNeedingPerUserMfaStateInSteps }, { runInSlices }] = await Promise.all([
    import('../core/tenant/audit.js'),
    import('./time-slices.js'),
  ]);
  const auditOptions: AuditOptions = { now, ...designations };
  return async (snapshot) => {
    try {
      return await runInSlices(usersNeedingPerUserMfaStateInSteps(snapshot, auditOptions));
    } catch (error) {
      throw new CollectionError(`cannot choose users for per-user MFA state: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
}
