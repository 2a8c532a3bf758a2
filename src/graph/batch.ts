/**
 * Many small GETs through JSON $batch (20 per batch), several batches in flight, and the part the SDK leaves out:
 * entries throttled inside a batch (429, or 503/504, with Retry-After in the entry's own headers) are sent again,
 * alone, after the longest Retry-After or an exponential backoff, within the run's retry budget.
 */
import type { BatchRequest, BatchResponse, GraphTransport, GraphVersion } from './client.js';
import { GraphRequestError } from './client.js';
import { isRetryableStatus, isThrottleStatus, parseRetryAfter } from './resilience.js';

export interface BatchGetOptions {
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
export interface BatchStream {
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
  const { settings } = transport.pacer;
  const size = Math.max(1, Math.min(20, settings.batchSize));
  const limit = Math.max(1, settings.concurrency);
  const results = new Map<string, BatchResponse>();
  let queue: BatchRequest[] = [];
  let taken = 0;
  let closed = false;
  let workers = 0;
  let failure: unknown;
  let finished = false;
  let resolveDone!: (answers: Map<string, BatchResponse>) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<Map<string, BatchResponse>>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  // Awaited by the caller at the end; a 401 may come earlier, before anyone awaits.
  done.catch(() => {});

  const abandoned = (): boolean => failure !== undefined || (options.abandoned?.() ?? false);
  const stopped = (): boolean => abandoned() || (options.stopped?.() ?? false);
  const waiting = (): number => queue.length - taken;
  const ready = (): boolean => waiting() >= size || (closed && waiting() > 0);
  const take = (): BatchRequest[] => {
    const chunk = queue.slice(taken, taken + size);
    taken += chunk.length;
    if (taken >= 4096 && taken * 2 >= queue.length) {
      queue = queue.slice(taken);
      taken = 0;
    }
    return chunk;
  };
  const settle = (response: BatchResponse): void => {
    results.set(response.id, response);
    options.onResponse?.(response);
  };
  const finishIfDone = (): void => {
    if (finished || !closed || workers > 0 || (waiting() > 0 && !stopped())) return;
    finished = true;
    if (failure !== undefined) rejectDone(failure);
    else resolveDone(results);
  };

  /** One $batch, and its throttled entries again (alone) until answered or out of attempts. */
  const send = async (chunk: BatchRequest[]): Promise<void> => {
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      let answers: BatchResponse[];
      try {
        answers = await transport.batch(version, pending);
      } catch (error) {
        if (error instanceof GraphRequestError && error.status === 401) throw error;
        const status = error instanceof GraphRequestError ? error.status : 0;
        for (const r of pending) settle({ id: r.id, status, headers: {}, body: { error: { message: (error as Error).message } } });
        return;
      }
      const byId = new Map(answers.map((a) => [String(a.id), a]));
      const again: BatchRequest[] = [];
      let retryAfter: number | undefined;
      for (const r of pending) {
        const answer = byId.get(r.id) ?? {
          id: r.id,
          status: 0,
          headers: {},
          body: { error: { message: 'missing from the $batch answer' } },
        };
        if (answer.status === 401) {
          throw new GraphRequestError(401, errorCode(answer.body), `${version}${r.url}: HTTP 401 inside $batch`);
        }
        if (answer.status === 0 || isRetryableStatus(answer.status)) {
          if (isThrottleStatus(answer.status)) {
            transport.stats.throttled++;
            const after = parseRetryAfter(headerOf(answer.headers, 'retry-after'));
            if (after !== undefined) retryAfter = Math.max(retryAfter ?? 0, after);
          }
          again.push(r);
          byId.set(r.id, answer);
        } else {
          settle(answer);
        }
      }
      if (again.length === 0) return;
      if (abandoned() || attempt >= settings.maxAttempts || !transport.pacer.takeRetry()) {
        for (const r of again) settle(byId.get(r.id)!);
        return;
      }
      const delay = transport.pacer.delayFor(attempt, retryAfter);
      if (retryAfter !== undefined) transport.pacer.pauseAll(delay);
      await transport.pacer.wait(delay, `${again.length} throttled entries in ${version}/$batch`);
      pending = again;
    }
  };

  const worker = async (): Promise<void> => {
    try {
      while (!stopped() && ready()) await send(take());
    } catch (error) {
      failure ??= error;
    }
    workers--;
    finishIfDone();
  };
  // Each worker takes its first batch synchronously, so `ready()` stays exact while starting them.
  const start = (): void => {
    while (workers < limit && !stopped() && ready()) {
      workers++;
      void worker();
    }
  };

  return {
    add(requests) {
      if (closed) throw new Error('batchStream: add() after close()');
      for (const r of requests) queue.push(r);
      start();
    },
    close() {
      closed = true;
      start();
      finishIfDone();
    },
    done,
    get queued() {
      return waiting();
    },
  };
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
