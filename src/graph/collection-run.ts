/**
 * The state of one collection: what was collected (`graph`), why keys are absent (`errors`), and the error that
 * ends the run (`fatal`), with the ways every step reads Graph and records the outcome.
 *
 * Failure policy (never a report that looks complete when it is not):
 * - `v1.0/users` is required: any failure there ends the run (CollectionError, exit 3).
 * - a 401 anywhere ends the run: the token is not accepted.
 * - so does a host that cannot be reached (a name that does not resolve, a refused connection, a certificate not
 *   valid for it): every other request would fail the same way.
 * - anything else that fails leaves its key absent and says why in `errors[key]`; verdicts that depend on it become
 *   unknown (exit 3) while the rest of the audit still runs.
 */
import type { Snapshot } from '../core/snapshot.js';
import { SNAPSHOT_FORMAT } from '../core/snapshot.js';
import { CollectionError } from '../errors.js';
import { errorCode, errorMessage } from './batch.js';
import type { GraphTransport } from './client.js';
import { GraphConnectError, GraphRequestError, shortPath } from './client.js';
import { forbiddenReason, unlicensedReason } from './permissions.js';

export interface CollectOptions {
  tenantId: string;
  collectedAt: string;
  /**
   * The engine's choice of users whose per-user MFA state decides their verdict (usersNeedingPerUserMfaState).
   * Called once per group of pages of users, as pages arrive, with a snapshot from choiceSnapshot (those users as
   * `v1.0/users`); ids outside the group are ignored. When a choice per page would not be exact (see choosesByPage),
   * called once with everything collected.
   */
  perUserMfaUsers: (snapshot: Snapshot) => string[] | Promise<string[]>;
  /**
   * Called once the user list and the domains are in (whatever else is still being collected), with a snapshot of
   * what is in so far; not called when the run ends first.
   */
  onUsersAndDomains?: (snapshot: Snapshot) => void;
  /** Progress lines for people (a no-op unless stderr is a terminal). */
  say?: (line: string) => void;
}

export type Item = Record<string, unknown>;

const MAX_PAGES = 100_000;

export class CollectionRun {
  readonly graph: Record<string, unknown> = {};
  readonly errors: Record<string, string> = {};
  /** The error that ends the run; once set, nothing further is recorded. */
  fatal: Error | undefined;
  readonly say: (line: string) => void;

  constructor(
    readonly transport: GraphTransport,
    readonly options: CollectOptions,
  ) {
    this.say = options.say ?? (() => {});
  }

  stopIfFatal(): void {
    if (this.fatal) throw this.fatal;
  }

  /** Ends the run with `error` unless it has already ended. */
  end(error: unknown): void {
    this.fatal ??= error instanceof Error ? error : new Error(String(error));
  }

  /** A snapshot of what was collected so far (`graph` as given, the whole collected graph unless told). */
  snapshot(graph: Record<string, unknown> = this.graph): Snapshot {
    return { format: SNAPSHOT_FORMAT, tenantId: this.options.tenantId, collectedAt: this.options.collectedAt, graph };
  }

  /** Every page of a collection, `value` items concatenated; @odata.nextLink followed verbatim. */
  async getAll(path: string, onPage?: (page: Item[], count: number) => void): Promise<Item[]> {
    const items: Item[] = [];
    const seen = new Set<string>();
    let next: string | undefined = path;
    for (let page = 0; next !== undefined; page++) {
      this.stopIfFatal();
      if (page >= MAX_PAGES || seen.has(next)) {
        throw new GraphRequestError(0, undefined, `${shortPath(path)}: paging does not end (@odata.nextLink repeats)`);
      }
      seen.add(next);
      const body = await this.transport.get(next);
      const value = valueOf(body, path);
      for (const item of value) items.push(item);
      onPage?.(value, items.length);
      const link = body['@odata.nextLink'];
      next = typeof link === 'string' && link !== '' ? link : undefined;
    }
    return items;
  }

  /**
   * Records why `key` is absent; a 401, a host that cannot be reached (every request goes to it) or a failure of the
   * required user list stops the run instead.
   */
  fail(key: string, error: unknown): void {
    if (error instanceof GraphConnectError) {
      this.fatal ??= new CollectionError(`cannot connect to Graph at ${error.message}`, { cause: error });
      return;
    }
    if (error instanceof GraphRequestError) {
      if (error.status === 401) {
        this.fatal ??= new CollectionError(
          `Graph refused the access token (401 ${error.graphCode ?? 'Unauthorized'}) on ${key}: sign in again or check the token's audience (${this.transport.root})`,
          { cause: error },
        );
        return;
      }
      this.errors[key] =
        error.status === 403
          ? forbiddenReason(key, error.graphCode)
          : (unlicensedReason(key, error.status, error.graphCode) ?? error.message);
      return;
    }
    this.end(error);
  }

  /** Runs `work` and records its value under `key`, or why there is none. */
  async collect(key: string, work: () => Promise<unknown>): Promise<void> {
    try {
      const value = await work();
      if (!this.fatal) this.graph[key] = value;
    } catch (error) {
      this.fail(key, error);
    }
  }

  /** A paged collection under `key`. */
  collection(key: string, path: string): Promise<void> {
    return this.collect(key, () => this.getAll(path));
  }

  /** A single resource under `key`. */
  single(key: string, path: string): Promise<void> {
    return this.collect(key, async () => withoutContext(await this.transport.get(path)));
  }
}

/** The `value` array of a collection's page. */
export function valueOf(body: Item, path: string): Item[] {
  const value = body?.value;
  if (!Array.isArray(value)) {
    throw new GraphRequestError(0, undefined, `${shortPath(path)}: the answer has no 'value' array`);
  }
  return value as Item[];
}

/** A single resource as Graph describes it, without the response's @odata.context. */
export function withoutContext(body: Item): Item {
  const { ['@odata.context']: _context, ...rest } = body ?? {};
  return rest;
}

/** The error of one $batch entry that was not answered with 200. */
export function entryError(path: string, status: number, body: unknown): GraphRequestError {
  const code = errorCode(body);
  const message = errorMessage(body);
  const what = status === 0 ? 'no answer' : `HTTP ${status}${code ? ` ${code}` : ''}`;
  return new GraphRequestError(status, code, `${path}: ${what}${message ? `: ${message}` : ''}`);
}
