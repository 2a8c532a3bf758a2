/**
 * The Graph client's middleware for surviving Graph: bounded concurrency, a per-attempt timeout, retries of
 * throttling (429/503/504, honouring Retry-After), server errors, resets, timeouts and truncated bodies with
 * exponential backoff and jitter, a tenant-wide pause after a Retry-After, the Conditional Access limiter (1
 * request/s, those endpoints send no Retry-After), and a retry budget for the whole run. It replaces the SDK's
 * RetryHandler, which knows neither timeouts, resets nor the CA limit.
 *
 * What retrying cannot fix is not retried (network-errors.ts): a name that does not resolve, a refused connection, a
 * certificate that is not valid for the host end the request at once with a ConnectFailure naming the host and the
 * cause; a temporary DNS failure (EAI_AGAIN) gets a few attempts, then ends the same way.
 */
import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { RawBody } from './https-handler.js';
import { BufferedResponse, JsonBodyReader, sdkParsesJson } from './https-handler.js';
import type { NetworkCause } from './network-errors.js';
import { BRIEF_ATTEMPTS, describeCause, hostOf, networkCause } from './network-errors.js';
import type { CollectionSettings } from './settings.js';

export interface CollectionStats {
  /** HTTP requests sent (every attempt counts). */
  requests: number;
  retries: number;
  /** 429/503/504 answers, envelope or inside a batch. */
  throttled: number;
  /** Time spent waiting because of throttling or backoff (summed over requests). */
  waitedMs: number;
  batchSubRequests: number;
  maxInFlight: number;
  /** Time requests held a concurrency slot (sending and reading whole answers), summed over requests. */
  busyMs: number;
}

export const newStats = (): CollectionStats => ({
  requests: 0,
  retries: 0,
  throttled: 0,
  waitedMs: 0,
  batchSubRequests: 0,
  maxInFlight: 0,
  busyMs: 0,
});

/** A failure below HTTP (reset, timeout, truncated body) after every allowed attempt. */
export class TransportFailure extends Error {
  override name = 'TransportFailure';
}

export const CONNECT_FAILURE = 'ConnectFailure';

/**
 * Graph's host cannot be reached, or is not who it must be, and retrying will not change that: "<host>: <cause>".
 * (The Graph SDK keeps only an error's name and message, so the name is what identifies it on the way out.)
 */
export class ConnectFailure extends Error {
  override name = CONNECT_FAILURE;
}

/** Why a wait happens: Graph throttled (429/503/504), or another failure is being retried. */
export type WaitKind = 'throttled' | 'retry';

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const THROTTLE_STATUS = new Set([429, 503, 504]);

export const isRetryableStatus = (status: number): boolean => RETRYABLE_STATUS.has(status);
export const isThrottleStatus = (status: number): boolean => THROTTLE_STATUS.has(status);

/** Retry-After: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Shared by every request of a run: slots, the retry budget, pauses and the CA limiter. */
export class Pacer {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  /** Background requests waiting: each takes a slot only when no other request is waiting for one. */
  private readonly waitingInBackground: Array<() => void> = [];
  private pausedUntil = 0;
  private nextConditionalAccessAt = 0;
  private retriesLeft: number;

  constructor(
    readonly settings: CollectionSettings,
    readonly stats: CollectionStats,
    private readonly onWait: (ms: number, why: string, kind: WaitKind) => void = () => {},
  ) {
    this.retriesLeft = settings.maxTotalRetries;
  }

  /** A slot; `background`: only one no other request is waiting for (work that fills the slots others leave free). */
  async acquire(background = false): Promise<void> {
    if (this.inFlight >= this.settings.concurrency || (background && this.waiting.length > 0)) {
      await new Promise<void>((resolve) => (background ? this.waitingInBackground : this.waiting).push(resolve));
    }
    this.inFlight++;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.inFlight);
  }

  release(): void {
    this.inFlight--;
    (this.waiting.shift() ?? this.waitingInBackground.shift())?.();
  }

  /** Waits for a tenant-wide pause (after a Retry-After) and, for CA endpoints, for the limiter's slot. */
  async waitTurn(url: string): Promise<void> {
    const now = Date.now();
    let until = this.pausedUntil;
    if (isConditionalAccessUrl(url)) {
      const slot = Math.max(now, this.nextConditionalAccessAt, until);
      this.nextConditionalAccessAt = slot + this.settings.conditionalAccessIntervalMs * this.settings.scale;
      until = slot;
    }
    if (until > now) await this.settings.sleep(until - now);
  }

  /** Every request waits after a Retry-After: Graph throttles per tenant and app, not per request. */
  pauseAll(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  /** Takes one retry from the run's budget; false when it is spent. */
  takeRetry(): boolean {
    if (this.retriesLeft <= 0) return false;
    this.retriesLeft--;
    this.stats.retries++;
    return true;
  }

  /** The wait before attempt `attempt + 1`: Retry-After when given (capped), else exponential with jitter. */
  delayFor(attempt: number, retryAfterMs: number | undefined): number {
    const s = this.settings;
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, s.maxRetryAfterMs) * s.scale;
    const exponential = Math.min(s.maxDelayMs, s.baseDelayMs * 2 ** (attempt - 1));
    return exponential * (0.5 + s.random() * 0.5) * s.scale;
  }

  async wait(ms: number, why: string, kind: WaitKind = 'throttled'): Promise<void> {
    this.stats.waitedMs += ms;
    this.onWait(ms, why, kind);
    await this.settings.sleep(ms);
  }
}

/**
 * A request's option (SDK middleware option): it runs in the background, taking a concurrency slot only when no other
 * request is waiting for one (the sign-in log, read while the collection pages, fills the slots it leaves free).
 */
export class BackgroundRequest implements MiddlewareOptions {}

export const isConditionalAccessUrl = (url: string): boolean => /\/identity\/conditionalAccess\//i.test(url);

/** Path and query without the host, for messages (never a token: tokens travel in headers). */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname.replace(/^\//, '');
  } catch {
    return url;
  }
}

interface Outcome {
  response?: BufferedResponse;
  failure?: string;
  /** The network error's cause, when the exchange threw one (not for timeouts or bodies cut short). */
  cause?: NetworkCause;
}

export class ResilienceHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly pacer: Pacer) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    // RequestInfo is a DOM type (not in this project's lib): a string or a Request with its url.
    const url = typeof context.request === 'string' ? context.request : (context.request as { url: string }).url;
    const { settings } = this.pacer;
    for (let attempt = 1; ; attempt++) {
      await this.pacer.waitTurn(url);
      const outcome = await this.attempt(context);
      const status = outcome.response?.status;
      if (outcome.response && !isRetryableStatus(outcome.response.status)) {
        context.response = outcome.response;
        return;
      }
      if (status !== undefined && isThrottleStatus(status)) this.pacer.stats.throttled++;
      const retryAfter =
        status !== undefined && isThrottleStatus(status)
          ? parseRetryAfter(outcome.response?.headers.get('retry-after'))
          : undefined;
      const why = status !== undefined ? `HTTP ${status}` : (outcome.failure ?? 'failure');
      const retry = outcome.cause?.retry ?? 'yes';
      if (retry === 'never') throw new ConnectFailure(`${hostOf(url)}: ${why}`);
      const maxAttempts = retry === 'briefly' ? Math.min(settings.maxAttempts, BRIEF_ATTEMPTS) : settings.maxAttempts;
      if (attempt >= maxAttempts || !this.pacer.takeRetry()) {
        if (retry === 'briefly') throw new ConnectFailure(`${hostOf(url)}: ${why}`);
        if (outcome.response) {
          // Graph's own answer (e.g. 429) goes back to the SDK, which turns it into a GraphError.
          context.response = outcome.response;
          return;
        }
        const tries = attempt === 1 ? '1 attempt' : `${attempt} attempts`;
        throw new TransportFailure(`${describeUrl(url)}: ${why} (gave up after ${tries})`);
      }
      const delay = this.pacer.delayFor(attempt, retryAfter);
      if (retryAfter !== undefined) this.pacer.pauseAll(delay);
      const kind = status !== undefined && isThrottleStatus(status) ? 'throttled' : 'retry';
      await this.pacer.wait(delay, `${why} on ${describeUrl(url)}`, kind);
    }
  }

  /** One try: the exchange inside a concurrency slot, bounded by the timeout; then the JSON check. */
  private async attempt(context: Context): Promise<Outcome> {
    const received = await this.exchange(context);
    const buffered = received.response;
    if (!buffered) return received;
    // The body is whole: checking that it is JSON needs no slot (a page of 999 users takes milliseconds to parse).
    const type = buffered.headers.get('content-type') ?? '';
    if (buffered.status < 300 && !buffered.isEmpty && type.includes('json')) {
      const reader = context.middlewareControl?.getMiddlewareOptions(JsonBodyReader) as JsonBodyReader | undefined;
      const raw = reader && sdkParsesJson(type) ? buffered.handOver() : undefined;
      if (reader && raw) return this.readElsewhere(buffered, reader, raw);
      try {
        buffered.parseJson();
      } catch {
        return { failure: 'truncated or invalid JSON body' };
      }
    }
    return { response: buffered };
  }

  /**
   * A JSON body read by the request's JsonBodyReader (on another thread), with the outcomes of reading it here: not
   * JSON fails the attempt as above; a body that cannot be decompressed fails it as it does when decompressed here.
   */
  private async readElsewhere(buffered: BufferedResponse, reader: JsonBodyReader, raw: RawBody): Promise<Outcome> {
    const reading = await reader.read(raw);
    switch (reading.kind) {
      case 'value':
        buffered.setParsed(reading.value);
        return { response: buffered };
      case 'empty':
        buffered.setText('');
        return { response: buffered };
      case 'invalid':
        return { failure: 'truncated or invalid JSON body' };
      case 'unreadable': {
        const cause = networkCause(Object.assign(new Error(reading.message), { code: reading.code }));
        return { failure: describeCause(cause), cause };
      }
    }
  }

  /** Sends the request and reads the whole answer, inside a concurrency slot and within the timeout. */
  private async exchange(context: Context): Promise<Outcome> {
    if (!this.next) throw new Error('ResilienceHandler has no next middleware');
    const { settings, stats } = this.pacer;
    await this.pacer.acquire(context.middlewareControl?.getMiddlewareOptions(BackgroundRequest) !== undefined);
    const started = Date.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
    try {
      stats.requests++;
      context.options = { ...(context.options ?? {}), signal: controller.signal };
      context.response = undefined;
      await this.next.execute(context);
      const response = context.response as Response | undefined;
      if (!response) return { failure: 'no response' };
      return { response: response instanceof BufferedResponse ? response : await buffer(response) };
    } catch (error) {
      if (controller.signal.aborted) return { failure: `no complete answer within ${settings.timeoutMs} ms` };
      const cause = networkCause(error);
      return { failure: describeCause(cause), cause };
    } finally {
      clearTimeout(timer);
      stats.busyMs += Date.now() - started;
      this.pacer.release();
    }
  }
}

/** Any other final handler's response (e.g. the SDK's fetch-based one), read whole within the timeout. */
async function buffer(response: Response): Promise<BufferedResponse> {
  return new BufferedResponse(await response.text(), response.status, response.headers);
}
