/**
 * Many small GETs through JSON $batch (20 per batch), several batches in flight, and the part the SDK leaves out:
 * entries throttled inside a batch (429, or 503/504, with Retry-After in the entry's own headers) are sent again,
 * alone, after the longest Retry-After or an exponential backoff, within the run's retry budget.
 */
import type { BatchRequest, BatchResponse, GraphTransport, GraphVersion } from './client.js';
import { GraphRequestError } from './client.js';
import { isRetryableStatus, isThrottleStatus, parseRetryAfter } from './resilience.js';

/** Run `work` over `items` with at most `limit` running at once; stops taking new items once `stopped()`. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  stopped: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stopped()) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export interface BatchGetOptions {
  /** Called with each final answer (success or not) as it arrives. */
  onResponse?: (response: BatchResponse) => void;
  /** Stop sending further batches once this returns true (e.g. every entry got 403). */
  stopped?: () => boolean;
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
  const { settings } = transport.pacer;
  const size = Math.max(1, Math.min(20, settings.batchSize));
  const chunks: BatchRequest[][] = [];
  for (let i = 0; i < requests.length; i += size) chunks.push(requests.slice(i, i + size));
  const results = new Map<string, BatchResponse>();
  const settle = (response: BatchResponse): void => {
    results.set(response.id, response);
    options.onResponse?.(response);
  };

  await eachLimited(
    chunks,
    settings.concurrency,
    async (chunk) => {
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
        if (attempt >= settings.maxAttempts || !transport.pacer.takeRetry()) {
          for (const r of again) settle(byId.get(r.id)!);
          return;
        }
        const delay = transport.pacer.delayFor(attempt, retryAfter);
        if (retryAfter !== undefined) transport.pacer.pauseAll(delay);
        await transport.pacer.wait(delay, `${again.length} throttled entries in ${version}/$batch`);
        pending = again;
      }
    },
    options.stopped,
  );
  return results;
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
