/**
 * Many small GETs through JSON $batch (20 per batch), several batches in flight, and the part the SDK leaves out:
 * entries throttled inside a batch (429, or 503/504, with Retry-After in the entry's own headers) are sent again,
 * alone, after the longest Retry-After or an exponential backoff, within the run's retry budget.
 */
import type { BatchRequest, BatchResponse, GraphTransport, GraphVersion } from './client.js';
import { GraphConnectError, GraphRequestError } from './client.js';
import { isRetryableStatus, isThrottleStatus, parseRetryAfter } from './resilience.js';
import type { CollectionSettings } from './settings.js';

interface BatchGetOptions {
  /** Called with each final answer (success or not) as it arrives. */
  onResponse?: (response: BatchResponse) => void;
  /** Stop sending further batches once this returns true (e.g. every entry got 403). */
  stopped?: () => boolean;
  /** Give up at once, retries included (the run has already failed). */
  abandoned?: () => boolean;
}

/**
 * GET every request through $batch; returns the final answer per id (status 0 = no answer after all attempts).
 * A 401 anywhere is thrown: the token is not accepted, so nothing further can succeed.
 */
export async function batchGet(
  transport: GraphTransport,
  version: GraphVersion,
  requests: readonly BatchRequest[],
  options: BatchGetOptions = {},
): Promise<Map<string, BatchResponse>> {
  const stream = batchStream(transport, version, options);
  stream.add(requests);
  stream.close();
  return stream.done;
}

/** Requests fed over time (e.g. as pages of users arrive), sent as $batch requests of 20 with bounded concurrency. */
interface BatchStream {
  /** Queues GETs: a $batch goes out as soon as a full one is waiting and a slot is free. */
  add(requests: readonly BatchRequest[]): void;
  /** No more requests: the last, partial $batch goes out. */
  close(): void;
  /** The final answer per id, once closed and everything is answered; rejects on a 401. */
  readonly done: Promise<Map<string, BatchResponse>>;
  /** Requests added and not sent yet. */
  readonly queued: number;
}

/**
 * A $batch sender fed over time. Only full batches of 20 go out before close(), so feeding requests in pieces makes
 * the same number of $batch requests as handing them over at once; at most `concurrency` are in flight.
 */
export function batchStream(
  transport: GraphTransport,
  version: GraphVersion,
  options: BatchGetOptions = {},
): BatchStream {
  return new BatchSender(transport, version, options);
}

class BatchSender implements BatchStream {
  readonly done: Promise<Map<string, BatchResponse>>;
  private readonly settings: CollectionSettings;
  private readonly size: number;
  private readonly limit: number;
  private readonly results = new Map<string, BatchResponse>();
  private queue: BatchRequest[] = [];
  private taken = 0;
  private closed = false;
  private workers = 0;
  private failure: unknown;
  private finished = false;
  private resolveDone!: (answers: Map<string, BatchResponse>) => void;
  private rejectDone!: (error: unknown) => void;

  constructor(
    private readonly transport: GraphTransport,
    private readonly version: GraphVersion,
    private readonly options: BatchGetOptions,
  ) {
    this.settings = transport.pacer.settings;
    this.size = Math.max(1, Math.min(20, this.settings.batchSize));
    this.limit = Math.max(1, this.settings.concurrency);
    this.done = new Promise<Map<string, BatchResponse>>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // Awaited by the caller at the end; a 401 may come earlier, before anyone awaits.
    this.done.catch(() => {});
  }

  add(requests: readonly BatchRequest[]): void {
    if (this.closed) throw new Error('batchStream: add() after close()');
    for (const r of requests) this.queue.push(r);
    this.start();
  }

  close(): void {
    this.closed = true;
    this.start();
    this.finishIfDone();
  }

  get queued(): number {
    return this.waiting();
  }

  private abandoned(): boolean {
    return this.failure !== undefined || (this.options.abandoned?.() ?? false);
  }

  private stopped(): boolean {
    return this.abandoned() || (this.options.stopped?.() ?? false);
  }

  private waiting(): number {
    return this.queue.length - this.taken;
  }

  private ready(): boolean {
    return this.waiting() >= this.size || (this.closed && this.waiting() > 0);
  }

  private take(): BatchRequest[] {
    const chunk = this.queue.slice(this.taken, this.taken + this.size);
    this.taken += chunk.length;
    if (this.taken >= 4096 && this.taken * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.taken);
      this.taken = 0;
    }
    return chunk;
  }

  private settle(response: BatchResponse): void {
    this.results.set(response.id, response);
    this.options.onResponse?.(response);
  }

  private finishIfDone(): void {
    if (this.finished || !this.closed || this.workers > 0 || (this.waiting() > 0 && !this.stopped())) return;
    this.finished = true;
    if (this.failure !== undefined) this.rejectDone(this.failure);
    else this.resolveDone(this.results);
  }

  /** Each worker takes its first batch synchronously, so `ready()` stays exact while starting them. */
  private start(): void {
    while (this.workers < this.limit && !this.stopped() && this.ready()) {
      this.workers++;
      void this.worker();
    }
  }

  private async worker(): Promise<void> {
    try {
      while (!this.stopped() && this.ready()) await this.send(this.take());
    } catch (error) {
      this.failure ??= error;
    }
    this.workers--;
    this.finishIfDone();
  }

  /** One $batch, and its throttled entries again (alone) until answered or out of attempts. */
  private async send(chunk: BatchRequest[]): Promise<void> {
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      let answers: BatchResponse[];
      try {
        answers = await this.transport.batch(this.version, pending);
      } catch (error) {
        // A refused token or an unreachable host ends the stream: every other $batch would fail the same way.
        if (error instanceof GraphConnectError || (error instanceof GraphRequestError && error.status === 401)) {
          throw error;
        }
        const status = error instanceof GraphRequestError ? error.status : 0;
        for (const r of pending)
          this.settle({ id: r.id, status, headers: {}, body: { error: { message: (error as Error).message } } });
        return;
      }
      const { again, byId, retryAfter, throttled } = this.sortAnswers(pending, answers);
      if (again.length === 0) return;
      const { pacer } = this.transport;
      if (this.abandoned() || attempt >= this.settings.maxAttempts || !pacer.takeRetry()) {
        for (const r of again) this.settle(byId.get(r.id)!);
        return;
      }
      const delay = pacer.delayFor(attempt, retryAfter);
      if (retryAfter !== undefined) pacer.pauseAll(delay);
      // Only entries Graph throttled (429, 503/504) are "throttled"; the rest (500, no answer) are plain retries.
      const kind = throttled > 0 ? 'throttled' : 'retry';
      await pacer.wait(
        delay,
        `${again.length} ${kind === 'throttled' ? 'throttled' : 'unanswered'} entries in ${this.version}/$batch`,
        kind,
      );
      pending = again;
    }
  }

  /**
   * Settles the final answers of one $batch and returns the entries to send again (no answer, throttled or
   * retryable), with their last answers and the longest Retry-After among them. A 401 is thrown.
   */
  private sortAnswers(
    pending: BatchRequest[],
    answers: BatchResponse[],
  ): { again: BatchRequest[]; byId: Map<string, BatchResponse>; retryAfter: number | undefined; throttled: number } {
    const byId = new Map(answers.map((a) => [String(a.id), a]));
    const again: BatchRequest[] = [];
    let retryAfter: number | undefined;
    let throttled = 0;
    for (const r of pending) {
      const answer = byId.get(r.id) ?? {
        id: r.id,
        status: 0,
        headers: {},
        body: { error: { message: 'missing from the $batch answer' } },
      };
      if (answer.status === 401) {
        throw new GraphRequestError(401, errorCode(answer.body), `${this.version}${r.url}: HTTP 401 inside $batch`);
      }
      if (answer.status === 0 || isRetryableStatus(answer.status)) {
        if (isThrottleStatus(answer.status)) {
          this.transport.stats.throttled++;
          throttled++;
          const after = parseRetryAfter(headerOf(answer.headers, 'retry-after'));
          if (after !== undefined) retryAfter = Math.max(retryAfter ?? 0, after);
        }
        again.push(r);
        byId.set(r.id, answer);
      } else {
        this.settle(answer);
      }
    }
    return { again, byId, retryAfter, throttled };
  }
}

function headerOf(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return String(value);
  return undefined;
}

/** Graph's error code from an entry body ({ error: { code } }). */
export function errorCode(body: unknown): string | undefined {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' ? code : undefined;
}

export function errorMessage(body: unknown): string | undefined {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === 'string' ? message : undefined;
}
