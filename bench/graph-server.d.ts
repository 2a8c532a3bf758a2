// Types of bench/graph-server.js for the TypeScript tests (test/helpers/graph-server.ts).
export interface Fault {
  path: string | RegExp;
  kind: 'status' | 'reset' | 'slow' | 'truncated' | 'bad-json';
  status?: number;
  retryAfter?: number | string;
  code?: string;
  delayMs?: number;
  inBatch?: boolean;
  times?: number;
  skip?: number;
}

export interface GraphServerStats {
  requests: number;
  batches: number;
  batchSubRequests: number;
  authFailures: number;
  inFlight: number;
  maxInFlight: number;
  byPath: Map<string, number>;
  conditionalAccessTimes: number[];
  faultsFired: number;
  preparedHits: number;
  /** Path and query (decoded) of every GET inside a $batch, in the order received. */
  batched: string[];
}

export interface GraphServerOptions {
  key: string;
  cert: string;
  snapshot: { graph: Record<string, unknown> };
  /** The bearer token to accept (or a test of it); any bearer token when undefined. */
  token?: string | ((token: string) => boolean);
  latencyMs?: number;
  maxTop?: number;
  defaultTop?: number;
  /** Server-driven page size: $top above it is capped silently (as Graph does for some resources). */
  pageSize?: number;
  /** Serve items as they are, ignoring $expand (as when Graph does not expand). */
  ignoreExpand?: boolean;
  faults?: Fault[];
}

export interface GraphServer {
  url: string;
  stats: GraphServerStats;
  addFault(fault: Fault): void;
  served(): Record<string, unknown>;
  /** Make every page of a paged GET ahead of time (benchmarks); returns the number of pages. */
  prepare(pathAndQuery: string): number;
  close(): Promise<void>;
}

export function startGraphServer(options: GraphServerOptions): Promise<GraphServer>;
