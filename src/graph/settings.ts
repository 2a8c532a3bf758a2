/**
 * Timing and limits of Graph collection. The defaults are the real ones; tests and benchmarks shrink the waits
 * through the environment (MFA_AUDIT_RETRY_SCALE multiplies every wait: backoff, Retry-After and the Conditional
 * Access limiter), never by changing the code paths.
 */
export interface CollectionSettings {
  /** HTTP requests in flight at once (batches count as one). */
  concurrency: number;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** Retries allowed over the whole run, so a sick service cannot keep a CI job busy for hours. */
  maxTotalRetries: number;
  /** First backoff without Retry-After; doubles per attempt, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is capped (and still counted). */
  maxRetryAfterMs: number;
  /** Per attempt, headers and body included. */
  timeoutMs: number;
  /** Conditional Access endpoints: about 1 request per second per tenant, and they send no Retry-After. */
  conditionalAccessIntervalMs: number;
  /** Requests per $batch (Graph's limit is 20). */
  batchSize: number;
  /** Multiplies every wait (tests use 0.001–0.01). */
  scale: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_SETTINGS: Omit<CollectionSettings, 'random' | 'sleep'> = {
  concurrency: 8,
  maxAttempts: 6,
  maxTotalRetries: 1000,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 300_000,
  timeoutMs: 60_000,
  conditionalAccessIntervalMs: 1000,
  batchSize: 20,
  scale: 1,
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function numberFrom(value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
}

/** Settings from the environment: MFA_AUDIT_RETRY_SCALE, MFA_AUDIT_GRAPH_TIMEOUT_MS, MFA_AUDIT_GRAPH_CONCURRENCY. */
export function settingsFromEnv(
  env: Record<string, string | undefined>,
  overrides: Partial<CollectionSettings> = {},
): CollectionSettings {
  return {
    ...DEFAULT_SETTINGS,
    scale: numberFrom(env.MFA_AUDIT_RETRY_SCALE, 0, 1) ?? DEFAULT_SETTINGS.scale,
    timeoutMs: numberFrom(env.MFA_AUDIT_GRAPH_TIMEOUT_MS, 100, 600_000) ?? DEFAULT_SETTINGS.timeoutMs,
    concurrency: Math.round(numberFrom(env.MFA_AUDIT_GRAPH_CONCURRENCY, 1, 32) ?? DEFAULT_SETTINGS.concurrency),
    random: Math.random,
    sleep,
    ...overrides,
  };
}
