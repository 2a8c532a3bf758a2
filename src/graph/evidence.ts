/**
 * Evidence from Entra (evaluation.md §9), collected once the snapshot is complete: Conditional Access What If for
 * the gaps the engine finds and spot-checks of its passes, and the sign-in log of the last DAYS days. Both are
 * optional: a missing permission or licence gives one note and the snapshot as before, never a failed run.
 */
import type { Snapshot } from '../core/snapshot.js';
import { GRAPH_KEYS } from '../core/snapshot.js';
import type { AuditOptions } from '../core/tenant/audit.js';
import { CollectionError } from '../errors.js';
import { WHAT_IF_PLAN_KEY } from '../input/snapshot.js';
import { batchGet, errorCode, errorMessage } from './batch.js';
import type { GraphTransport } from './client.js';
import { GraphConnectError, GraphRequestError } from './client.js';
import { OPTIONAL_PERMISSIONS } from './permissions.js';
import type { SignInCounts, SliceKind } from './sign-in-pages.js';
import type { KeptRows, SignInPages } from './sign-in-worker.js';
import { signInPages } from './sign-in-worker.js';

/** What evidence a live run collects. */
export interface EvidenceRequest {
  /** Ask What If (gaps and spot-checks, budgets in auditOptions.whatIf). */
  confirm: boolean;
  /** Days of sign-ins to read (0: none). */
  signInDays: number;
  /** The options the audit will use: the What If plan must be the audit's. */
  auditOptions: AuditOptions;
  /** Pages of sign-ins read at most; beyond it the window is marked truncated (default 20,000: 20 million rows). */
  maxSignInPages?: number;
  /** The sign-in reading, started with the collection (startSignInReading) for this same window. */
  signInReading?: SignInReading;
}

/** What was asked, for progress lines and the benchmark. */
export interface EvidenceFigures {
  whatIf?: { requests: number; gaps: number; spotChecks: number };
  signIns?: { pages: number; rows: number; kept: number; truncated: boolean };
}

type Note = (line: string) => void;

export async function collectEvidence(
  transport: GraphTransport,
  snapshot: Snapshot,
  request: EvidenceRequest,
  note: Note,
): Promise<EvidenceFigures> {
  const figures: EvidenceFigures = {};
  let confirmed: () => void = () => undefined;
  // The sign-in reading parses its kept rows once What If is done: both are this thread's work, and What If's
  // requests wait for its plan.
  const confirming = new Promise<void>((resolve) => (confirmed = resolve));
  await Promise.all([
    request.signInDays > 0
      ? (
          request.signInReading ??
          startSignInReading(transport, {
            now: request.auditOptions.now,
            days: request.signInDays,
            maxPages: request.maxSignInPages,
          })
        ).finish(snapshot, note, figures, request.confirm ? confirming : undefined)
      : undefined,
    request.confirm
      ? confirmGaps(transport, snapshot, request.auditOptions, note, figures).finally(confirmed)
      : undefined,
  ]);
  return figures;
}

/** A refused token or an unreachable Graph ends the run, as in every other step. */
function fatal(error: unknown, what: string): CollectionError | undefined {
  if (error instanceof GraphConnectError) return new CollectionError(`cannot connect to Graph at ${error.message}`);
  if (error instanceof GraphRequestError && error.status === 401) {
    return new CollectionError(`Graph refused the access token (401) on ${what}: sign in again`, { cause: error });
  }
  return undefined;
}

function refusedNote(what: string, kind: keyof typeof OPTIONAL_PERMISSIONS, code: string | undefined): string {
  const need = OPTIONAL_PERMISSIONS[kind];
  if (code === 'Authentication_RequestFromNonPremiumTenantOrB2CTenant') {
    return `${what} not read: the tenant needs an Entra ID P1 or P2 licence for sign-in logs; ${need.without}`;
  }
  return `${what} not read: Graph refused it (403${code ? ` ${code}` : ''}); grant ${need.grant} (optional); ${need.without}`;
}

const EVALUATE_URL = '/identity/conditionalAccess/evaluate';

async function confirmGaps(
  transport: GraphTransport,
  snapshot: Snapshot,
  options: AuditOptions,
  note: Note,
  figures: EvidenceFigures,
): Promise<void> {
  const [{ planWhatIfInSteps }, { runInSlices }] = await Promise.all([
    import('../core/tenant/audit.js'),
    import('./time-slices.js'),
  ]);
  // In slices: the sign-in chains read on meanwhile (one block would hold their slots for the whole plan).
  const plan = await runInSlices(planWhatIfInSteps(snapshot, options));
  const byKey = new Map(plan.requests.map((r) => [r.key, r.request]));
  const keys = [...byKey.keys()];
  let refused: string | undefined;
  let answers;
  try {
    answers = await batchGet(
      transport,
      'beta',
      keys.map((key, i) => ({ id: String(i), url: EVALUATE_URL, method: 'POST', body: byKey.get(key) })),
      {
        stopped: () => refused !== undefined,
        onResponse: (answer) => {
          if (answer.status === 403) refused ??= errorCode(answer.body) ?? '';
        },
      },
    );
  } catch (error) {
    throw fatal(error, 'What If') ?? error;
  }
  const gaps = plan.requests.filter((r) => r.kind === 'gap').length;
  figures.whatIf = { requests: keys.length, gaps, spotChecks: plan.requests.length - gaps };
  if (refused !== undefined) {
    note(refusedNote('Conditional Access What If', 'whatIf', refused || undefined));
    return;
  }
  snapshot.graph[GRAPH_KEYS.conditionalAccessEvaluate] = keys.map((key, i) => {
    const answer = answers.get(String(i));
    const response =
      answer?.status === 200
        ? answer.body
        : {
            error: {
              code: errorCode(answer?.body) ?? `HTTP ${answer?.status ?? 0}`,
              message: errorMessage(answer?.body) ?? 'no answer',
            },
          };
    return { request: byKey.get(key), response };
  });
  snapshot.graph[WHAT_IF_PLAN_KEY] = { ...options.whatIf };
}

/**
 * The signIn properties a verdict reads (evaluation.md §9.2). `authenticationRequirement` and
 * `authenticationDetails` exist only in beta's signIn (v1.0's has neither), so the log is read from beta; the snapshot
 * keeps the rows under the contract's key `v1.0/auditLogs/signIns` all the same.
 */
const SIGN_IN_FIELDS = [
  'userId',
  'createdDateTime',
  'status',
  'authenticationRequirement',
  'authenticationDetails',
  'appId',
  'appDisplayName',
  'clientAppUsed',
  'ipAddress',
  'location',
];
const SIGN_IN_PATH = 'beta/auditLogs/signIns';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const MAX_KEPT_ROWS = 2_000_000;

interface SignInRead {
  /** Where the pages are read and counted (a worker thread), and the counts by user kept. */
  pages: SignInPages;
  /** The single-factor rows of each slice of the window, newest slice first, page by page. */
  kept: KeptRows[][];
  /** The number of them, by slice. */
  keptCount: number[];
  pageCount: number;
  rows: number;
  truncated: boolean;
  maxPages: number;
}

const iso = (d: Date): string => d.toISOString().replace(/\.000Z$/, 'Z');

export interface Slice {
  kind: SliceKind;
  first: string;
}

/**
 * The window in `count` slices of time, newest first, each its own chain of pages (a month of sign-ins of a large
 * tenant is thousands of pages, which one chain would fetch one after another), and each slice asked twice, filtered
 * on the server: the single-factor successes with every field a verdict reads (few rows), and the MFA successes with
 * only what their counts need (most rows, so every byte counts). MFA rows carry `authenticationDetails` only when some
 * user may be on a federated domain, the one case where "MFA satisfied by claim" is read.
 */
function slices(from: Date, to: Date, count: number, federated: boolean): Slice[] {
  const span = to.getTime() - from.getTime();
  const mfaFields = ['userId', 'authenticationRequirement', ...(federated ? ['authenticationDetails'] : [])];
  const out: Slice[] = [];
  for (let i = 0; i < count; i++) {
    const lower = new Date(to.getTime() - (span * (i + 1)) / count);
    const upper = new Date(to.getTime() - (span * i) / count);
    const time = `createdDateTime ge ${iso(lower)}${i === 0 ? '' : ` and createdDateTime lt ${iso(upper)}`}`;
    for (const [kind, fields] of [
      ['singleFactorAuthentication', SIGN_IN_FIELDS],
      ['multiFactorAuthentication', mfaFields],
    ] as const) {
      const filter = `${time} and status/errorCode eq 0 and authenticationRequirement eq '${kind}'`;
      const query = `$filter=${encodeURIComponent(filter)}&$select=${fields.join(',')}&$top=1000`;
      out.push({ kind, first: `${SIGN_IN_PATH}?${query}` });
    }
  }
  return out;
}

/**
 * The first page of every chain of the sign-in reading, in the order they are read: `days` before `now`, in twice as
 * many time slices as requests may be in flight (at most 32), each asked for single-factor and for MFA successes. A
 * chain waits between its pages while the last one is counted; with more chains than slots, another takes its slot.
 */
export function signInQueries(
  window: { now: Date; days: number; concurrency: number },
  mayBeFederated: boolean,
): Slice[] {
  const from = new Date(window.now.getTime() - window.days * 86_400_000);
  return slices(from, window.now, Math.max(1, Math.min(32, 2 * window.concurrency)), mayBeFederated);
}

/**
 * Whether some user's UPN domain is federated, or missing from the domain list (then it may be): only such users'
 * MFA sign-ins can be satisfied by an IdP's claim (the engine reads the UPN's domain the same way).
 */
function mayHaveFederatedUsers(snapshot: Snapshot): boolean {
  const domains = snapshot.graph[GRAPH_KEYS.domains];
  const managed = new Set<string>();
  for (const d of Array.isArray(domains) ? domains : []) {
    if (!isObject(d) || typeof d.id !== 'string') continue;
    if (typeof d.authenticationType === 'string' && d.authenticationType.toLowerCase() !== 'federated')
      managed.add(d.id.toLowerCase());
  }
  const users = snapshot.graph[GRAPH_KEYS.users];
  return (Array.isArray(users) ? users : []).some((u) => {
    if (!isObject(u) || typeof u.userPrincipalName !== 'string') return true;
    const domain = u.userPrincipalName.slice(u.userPrincipalName.lastIndexOf('@') + 1).toLowerCase();
    return !domain.endsWith('.onmicrosoft.com') && !managed.has(domain);
  });
}

/** One slice's chain of pages; empty or short pages with a nextLink are followed like any other. */
async function readSlice(transport: GraphTransport, slice: Slice, read: SignInRead, chain: number): Promise<void> {
  const seen = new Set<string>();
  let next: string | undefined = slice.first;
  while (next !== undefined) {
    if (read.truncated) return;
    if (
      read.pageCount >= read.maxPages ||
      read.rows >= MAX_KEPT_ROWS * 10 ||
      seen.has(next) ||
      read.keptCount[chain]! >= MAX_KEPT_ROWS
    ) {
      read.truncated = true;
      return;
    }
    seen.add(next);
    read.pageCount++;
    const page = await read.pages.read(transport, next, slice.kind);
    read.rows += page.rows;
    if (page.kept.count > 0) {
      read.kept[chain]!.push(page.kept);
      read.keptCount[chain]! += page.kept.count;
    }
    next = page.nextLink;
  }
}

/** The window of a sign-in reading: the DAYS days before `now`. */
export interface SignInWindow {
  now: Date;
  days: number;
  /** Pages read at most (default 20,000). */
  maxPages?: number;
  /** Pages read on a worker thread (default) or on this one. */
  offThread?: boolean;
}

/**
 * Starts reading the sign-in log: its single-factor chains at once, as they need nothing the collection reads (they
 * then fill the slots the collection's first pages leave free); the MFA chains once the users and domains are in
 * (`startMultiFactor`; their fields depend on those), at the latest when `finish` is given the snapshot. `close` ends
 * it (the worker too) if `finish` is never called.
 */
export function startSignInReading(transport: GraphTransport, window: SignInWindow): SignInReading {
  return new SignInReading(transport, window);
}

export class SignInReading {
  private readonly read: SignInRead;
  private multiFactorStarted = false;
  /** Each chain's outcome, in chain order (a failure also stops the other chains at their next page). */
  private readonly outcomes: Array<Promise<PromiseSettledResult<void>>> = [];

  constructor(
    private readonly transport: GraphTransport,
    private readonly window: SignInWindow,
  ) {
    const chains = this.chains(false);
    this.read = {
      pages: signInPages(SIGN_IN_FIELDS, window.offThread ?? true),
      kept: chains.map(() => []),
      keptCount: chains.map(() => 0),
      pageCount: 0,
      rows: 0,
      truncated: false,
      maxPages: window.maxPages ?? 20_000,
    };
    this.start(chains, 'singleFactorAuthentication');
  }

  /**
   * Starts the MFA chains (once): their fields depend on the users and domains of `snapshot` only, so the collection
   * may start them before it ends (what is collected after them does not change those two keys).
   */
  startMultiFactor(snapshot: Snapshot): void {
    if (this.multiFactorStarted) return;
    this.multiFactorStarted = true;
    this.start(this.chains(mayHaveFederatedUsers(snapshot)), 'multiFactorAuthentication');
  }

  /** The MFA chains if not started, then every chain's end; the window's keys into `snapshot` (none on failure). */
  async finish(snapshot: Snapshot, note: Note, figures: EvidenceFigures, busyUntil?: Promise<void>): Promise<void> {
    const read = this.read;
    try {
      this.startMultiFactor(snapshot);
      const ended = Promise.all(this.outcomes);
      await this.parseKeptRows(ended, busyUntil);
      const results = await ended;
      let failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason as unknown;
      let users: Record<string, SignInCounts> = {};
      if (failure === undefined) {
        // The counts are the worker's: a worker that failed loses the reading as a failed page would.
        try {
          users = await read.pages.counts();
        } catch (error) {
          failure = error;
        }
      }
      if (failure !== undefined) {
        reportFailure(failure, note);
        return;
      }
      if (read.truncated) note(`sign-in logs: stopped after ${read.pageCount} pages; the window is truncated`);
      const kept = read.kept.flatMap((chain) => chain.flatMap((page) => page.rows()));
      figures.signIns = { pages: read.pageCount, rows: read.rows, kept: kept.length, truncated: read.truncated };
      const to = this.window.now;
      snapshot.graph[GRAPH_KEYS.signIns] = kept;
      snapshot.graph[GRAPH_KEYS.signInWindow] = {
        from: new Date(to.getTime() - this.window.days * 86_400_000).toISOString(),
        to: to.toISOString(),
        truncated: read.truncated,
        users,
      };
    } finally {
      // Also when the run ends here (a 401): the worker must not outlive the reading.
      read.pages.close();
    }
  }

  /**
   * The single-factor rows read so far, parsed one page at a time while the chains run (this thread mostly waits
   * then), so few are left to parse once they end; not before `busyUntil` (other work of this thread that comes first).
   */
  private async parseKeptRows(ended: Promise<unknown>, busyUntil?: Promise<void>): Promise<void> {
    let done = false;
    void ended.then(() => (done = true));
    if (busyUntil) await Promise.race([busyUntil, ended]);
    for (const chain of this.read.kept) {
      for (const page of chain) {
        if (done) return;
        page.parse();
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    // Then the counts' entries of the users named so far, a few thousand at a time, until the chains end.
    while (!done) {
      const made = this.read.pages.prepareCounts(2000);
      await (made ? new Promise((resolve) => setImmediate(resolve)) : Promise.race([ended, delay(50)]));
    }
  }

  /** Stops the reading (the collection failed): chains stop at their next page, the worker ends. */
  close(): void {
    this.read.truncated = true;
    this.read.pages.close();
  }

  private chains(mayBeFederated: boolean): Slice[] {
    const { now, days } = this.window;
    return signInQueries({ now, days, concurrency: this.transport.pacer.settings.concurrency }, mayBeFederated);
  }

  private start(chains: Slice[], kind: SliceKind): void {
    chains.forEach((slice, i) => {
      if (slice.kind !== kind) return;
      this.outcomes[i] = readSlice(this.transport, slice, this.read, i).then(
        () => ({ status: 'fulfilled', value: undefined }),
        (reason: unknown) => {
          this.read.truncated = true; // the other chains stop at their next page
          return { status: 'rejected', reason };
        },
      );
    });
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** A refusal is about the whole log; any other failure loses part of the window, which is then incomplete. */
function reportFailure(failure: unknown, note: Note): void {
  const end = fatal(failure, SIGN_IN_PATH);
  if (end) throw end;
  const status = failure instanceof GraphRequestError ? failure.status : 0;
  const code = failure instanceof GraphRequestError ? failure.graphCode : undefined;
  const message = failure instanceof Error ? failure.message : 'unknown failure';
  note(
    status === 403
      ? refusedNote('Sign-in logs', 'signIns', code)
      : `sign-in logs not read (${message}); no account carries sign-in evidence`,
  );
}
