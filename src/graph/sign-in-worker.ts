/**
 * The sign-in pages of one reading, decoded, parsed and counted on a worker thread (node:worker_threads), so this
 * thread only does the HTTP and the bookkeeping: decoding and parsing hundreds of megabytes of JSON on the event loop
 * that also serves every other request would hold each request's slot far longer than Graph's own latency.
 *
 * The requests themselves stay here, as every other request: the slot (the pacer), retries, throttling and the token;
 * they run in the background (BackgroundRequest), taking the slots the collection leaves free.
 * A page's body is handed to the worker as bytes (its buffer transferred, not copied) from inside the resilience
 * handler (JsonBodyReader), so a body the worker cannot parse is retried like any bad body, never counted as empty.
 * The worker keeps the per-user counts for the whole reading; each page returns its rows' number, the single-factor
 * rows kept and the next link.
 *
 * The worker's code is the source text of SignInPageCounter and PageBytes (sign-in-pages.ts, page-bytes.ts, both
 * self-contained), evaluated in the worker: it runs the same from dist/ and under vitest. Started only when sign-ins
 * are read; it holds the process open only while a page is being read there, and `close` ends it.
 */
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import type { GraphTransport } from './client.js';
import type { JsonReading } from './https-handler.js';
import type { KeptJson, PageReply, PageRequest, Row, SignInCounts, SliceKind } from './sign-in-pages.js';
import { PageBytes } from './page-bytes.js';
import { SignInPageCounter } from './sign-in-pages.js';

/**
 * The single-factor rows a page kept: rows, or JSON text parsed when first asked for (`parse` when the thread has
 * time, `rows` at the latest), so a page's answer does not wait for rows needed only in the snapshot.
 */
export class KeptRows {
  private parsed: Row[] | undefined;

  constructor(
    readonly count: number,
    private readonly from: Row[] | KeptJson,
  ) {
    if (Array.isArray(from)) this.parsed = from;
  }

  /** Parses the text, if not done yet. */
  parse(): void {
    this.parsed ??= (this.from as KeptJson).chunks.flatMap((chunk) => JSON.parse(chunk) as Row[]);
  }

  rows(): Row[] {
    this.parse();
    return this.parsed!;
  }
}

/** One page read: its rows' number, the single-factor rows kept (reduced), the link to the next page. */
export interface SignInPage {
  rows: number;
  kept: KeptRows;
  nextLink: string | undefined;
}

/** A page counted on the worker, as the SDK hands it back (the class tells it from any body a server could send). */
class CountedPage implements SignInPage {
  constructor(
    readonly rows: number,
    readonly kept: KeptRows,
    readonly nextLink: string | undefined,
  ) {}
}

/** The pages of one sign-in reading and their counts; `close` when done (also after a failure). */
export interface SignInPages {
  read(transport: GraphTransport, url: string, kind: SliceKind): Promise<SignInPage>;
  /** The counts of every page read, by lower-case user id (in order of first sight). */
  counts(): Promise<Record<string, SignInCounts>>;
  /**
   * Some of the bookkeeping `counts` would do at the end, done now (at most `max` users); false when none is left.
   * For a thread that has time while the reading runs.
   */
  prepareCounts(max: number): boolean;
  close(): void;
}

/**
 * The pages of one reading: counted on a worker thread, or on this one (`offThread` false, or no worker could be
 * started), where each body is parsed by the resilience handler as any other.
 */
export function signInPages(fields: readonly string[], offThread = true): SignInPages {
  if (offThread) {
    const worker = startWorker(fields);
    if (worker) return new WorkerPages(new PageWorker(worker));
  }
  return new ThreadPages(
    new SignInPageCounter(
      fields,
      (bytes) => gunzipSync(bytes, { chunkSize: PageBytes.gunzipChunkSize(bytes) }),
      PageBytes.parseJson,
    ),
  );
}

const WORKER_SOURCE = (): string => `'use strict';
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const { gunzipSync } = process.getBuiltinModule('node:zlib');
const PageBytes = ${PageBytes.toString()};
const SignInPageCounter = ${SignInPageCounter.toString()};
const counter = new SignInPageCounter(
  workerData.fields,
  (bytes) => gunzipSync(bytes, { chunkSize: PageBytes.gunzipChunkSize(bytes) }),
  PageBytes.parseJson,
);
parentPort.on('message', ({ id, request }) => {
  let answer;
  try {
    answer = { id, reply: counter.handle(request) };
  } catch (error) {
    answer = { id, error: error instanceof Error ? error.stack ?? error.message : String(error) };
  }
  parentPort.postMessage(answer);
});
`;

function startWorker(fields: readonly string[]): Worker | undefined {
  try {
    return new Worker(WORKER_SOURCE(), { eval: true, workerData: { fields: [...fields] } });
  } catch {
    return undefined;
  }
}

/** A body that is JSON but not an object, or a page the SDK parsed here: its rows, counted where the counts are. */
async function readParsed(
  body: Record<string, unknown>,
  count: (rows: unknown[]) => Promise<Row[]>,
): Promise<SignInPage> {
  const rows = Array.isArray(body.value) ? (body.value as unknown[]) : [];
  const link = body['@odata.nextLink'];
  const kept = await count(rows);
  return {
    rows: rows.length,
    kept: new KeptRows(kept.length, kept),
    nextLink: typeof link === 'string' && link !== '' ? link : undefined,
  };
}

class ThreadPages implements SignInPages {
  constructor(private readonly counter: SignInPageCounter) {}

  async read(transport: GraphTransport, url: string, kind: SliceKind): Promise<SignInPage> {
    const body = await transport.get(url, { background: true });
    return readParsed(body, (rows) => Promise.resolve(this.counter.countRows(rows, kind)));
  }

  counts(): Promise<Record<string, SignInCounts>> {
    return Promise.resolve(Object.fromEntries(this.counter.counts()));
  }

  prepareCounts(): boolean {
    return false;
  }

  close(): void {}
}

interface Pending {
  resolve: (reply: PageReply) => void;
  reject: (error: Error) => void;
}

/** One worker thread and the answers awaited from it. */
class PageWorker {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Why the worker stopped answering (an error in it, or its exit), once it has. */
  private failure: Error | undefined;

  constructor(private readonly worker: Worker) {
    // Idle, the worker must not keep the process alive; `ask` holds it open while an answer is awaited.
    worker.unref();
    worker.on('message', (answer: { id: number; reply?: PageReply; error?: string }) => {
      const waiting = this.pending.get(answer.id);
      if (!waiting) return;
      this.settled(answer.id);
      if (answer.reply) waiting.resolve(answer.reply);
      else waiting.reject(new Error(`sign-in page reader failed: ${answer.error ?? 'no answer'}`));
    });
    worker.on('error', (error) => this.fail(new Error(`sign-in page reader failed: ${error.message}`)));
    worker.on('messageerror', (error) => this.fail(new Error(`sign-in page reader failed: ${error.message}`)));
    worker.on('exit', (code) => this.fail(new Error(`sign-in page reader stopped (exit ${code})`)));
  }

  ask(request: PageRequest, transfer: ArrayBuffer[] = []): Promise<PageReply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<PageReply>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      try {
        this.worker.postMessage({ id, request }, transfer);
      } catch (error) {
        this.settled(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  close(): void {
    this.fail(new Error('sign-in page reader closed'));
    void this.worker.terminate();
  }

  private settled(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const [id, waiting] of this.pending) {
      this.settled(id);
      waiting.reject(this.failure);
    }
  }
}

/** Pages read on the worker thread, which counts them. */
class WorkerPages implements SignInPages {
  /**
   * The users the worker names as it counts each for the first time, in its order: at the end it sends only their
   * numbers. Their entries are made when this thread has time (prepareCounts), or at the end.
   */
  private readonly named: string[][] = [];
  /** The entries made so far, in the worker's order, and where the next one's id is in `named`. */
  private readonly users: Record<string, SignInCounts> = {};
  private readonly entries: SignInCounts[] = [];
  private list = 0;
  private at = 0;

  constructor(private readonly worker: PageWorker) {}

  async read(transport: GraphTransport, url: string, kind: SliceKind): Promise<SignInPage> {
    const body = await transport.get(url, {
      background: true,
      readJson: async ({ bytes, gzipped }): Promise<JsonReading> => {
        // Transferred, not copied: only a buffer this body owns whole (a small one may share Node's pool).
        const own =
          bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
        const reply = await this.worker.ask({ type: 'body', bytes: own, gzipped, kind }, [own.buffer as ArrayBuffer]);
        switch (reply.type) {
          case 'page': {
            this.see(reply.newUsers);
            const { keptJson } = reply;
            const kept = keptJson
              ? new KeptRows(keptJson.count, keptJson)
              : new KeptRows(reply.kept.length, reply.kept);
            return { kind: 'value', value: new CountedPage(reply.rows, kept, reply.nextLink) };
          }
          case 'value':
            return { kind: 'value', value: reply.value };
          case 'invalid':
          case 'empty':
            return { kind: reply.type };
          case 'unreadable':
            return { kind: 'unreadable', code: reply.code, message: reply.message };
          default:
            throw new Error(`sign-in page reader answered '${reply.type}' to a page`);
        }
      },
    });
    if (body instanceof CountedPage) return body;
    return readParsed(body, async (rows) => {
      const reply = await this.worker.ask({ type: 'rows', rows, kind });
      if (reply.type !== 'kept') throw new Error(`sign-in page reader answered '${reply.type}' to rows`);
      this.see(reply.newUsers);
      return reply.kept;
    });
  }

  async counts(): Promise<Record<string, SignInCounts>> {
    const reply = await this.worker.ask({ type: 'counts' });
    if (reply.type !== 'counts') throw new Error(`sign-in page reader answered '${reply.type}' to counts`);
    this.prepareCounts(Infinity);
    const { values } = reply;
    if (values.length !== this.entries.length * 3) {
      throw new Error(`sign-in page reader counted ${values.length / 3} users, named ${this.entries.length}`);
    }
    this.entries.forEach((c, i) => {
      c.mfa = values[3 * i]!;
      c.mfaByClaim = values[3 * i + 1]!;
      c.singleFactor = values[3 * i + 2]!;
    });
    return this.users;
  }

  /** Entries of named users, up to `max` (Object.fromEntries' own properties, in its order, `__proto__` too). */
  prepareCounts(max: number): boolean {
    let made = 0;
    while (made < max && this.list < this.named.length) {
      const ids = this.named[this.list]!;
      if (this.at >= ids.length) {
        this.list++;
        this.at = 0;
        continue;
      }
      const id = ids[this.at++]!;
      const c: SignInCounts = { mfa: 0, mfaByClaim: 0, singleFactor: 0 };
      if (id === '__proto__') {
        Object.defineProperty(this.users, id, { value: c, writable: true, enumerable: true, configurable: true });
      } else this.users[id] = c;
      this.entries.push(c);
      made++;
    }
    return made > 0;
  }

  private see(ids: string[] | undefined): void {
    if (ids) this.named.push(ids);
  }

  close(): void {
    this.worker.close();
  }
}
