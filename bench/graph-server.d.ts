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
  /** Responses sent gzipped (8 KB or more, to a client that sent Accept-Encoding: gzip). */
  gzipped: number;
  /** Path and query (decoded) of every GET inside a $batch, in the order received. */
  batched: string[];
  /**
   * What If evaluations (POST …/identity/conditionalAccess/evaluate, alone or in a $batch) that reached the
   * evaluator, with their bodies (parsed; the raw text when it was not JSON). Requests answered by an injected fault
   * are not here (byPath counts them).
   */
  whatIf: { requests: number; bodies: unknown[] };
  /** Sign-in log pages answered (GET …/auditLogs/signIns), the rows in them, and the pages asked per $select. */
  signIns: { requests: number; rows: number; selects: Map<string, number> };
}

/** A What If request body as Graph documents it (conditionalAccessRoot: evaluate). */
export interface WhatIfRequest {
  signInIdentity: {
    /** '#microsoft.graph.userSignIn' or '#microsoft.graph.servicePrincipalSignIn' */
    '@odata.type': string;
    userId?: string;
    externalUserType?: string;
    externalTenantId?: string;
    servicePrincipalId?: string;
  };
  signInContext: {
    /** '#microsoft.graph.applicationContext', '#microsoft.graph.userActionContext' or '#microsoft.graph.authContext' */
    '@odata.type': string;
    includeApplications?: string[];
    userAction?: 'registerSecurityInformation' | 'registerOrJoinDevices';
    authenticationContextValue?: string;
  };
  signInConditions?: {
    clientAppType?: string;
    devicePlatform?: string;
    ipAddress?: string;
    country?: string;
    signInRiskLevel?: string;
    userRiskLevel?: string;
    servicePrincipalRiskLevel?: string;
    insiderRiskLevel?: string;
    authenticationFlow?: { transferMethod: string } | null;
    deviceInfo?: Record<string, unknown> | null;
  };
  appliedPoliciesOnly?: boolean;
}

export interface WhatIfOptions {
  /**
   * Make the server disagree with its own evaluator for chosen sign-ins: `true` flips policyApplies of every
   * policy, a list of policy ids flips those (a flip to false gives analysisReasons 'users').
   */
  disagree?: (request: WhatIfRequest) => boolean | string[] | undefined;
  /** Fixed answers for a policy (for the requests `when` accepts, or all); checked before `disagree`. */
  overrides?: Array<{
    policyId: string;
    applies: boolean;
    /** analysisReasons when applies is false (default 'users'). */
    reason?: string;
    when?: (request: WhatIfRequest) => boolean;
  }>;
  /** Answer every What If with 403 Authorization_RequestDenied (missing Policy.Read.ConditionalAccess). */
  error?: 'forbidden';
}

export interface SignInOptions {
  /**
   * Generate the log instead of serving the snapshot's `v1.0/auditLogs/signIns`: this many sign-ins per user of
   * `v1.0/users`, made page by page (never held in memory). Deterministic for the same users and options.
   */
  perUser?: number;
  /** The generated sign-ins are spread over the `days` (default 30) before `now` (default: the server's start). */
  days?: number;
  now?: string | number | Date;
  /** Share of users (chosen by seed) whose successful sign-ins are single-factor (default 0.05). */
  singleFactorShare?: number;
  /** Users whose successful sign-ins are single-factor in any case. */
  singleFactorUsers?: string[];
  /** Share of sign-ins that fail with 50126 (bad password; default 0.02). */
  failureShare?: number;
  seed?: number;
  /** Largest $top (default 1000, as Graph) and the page size without $top (default maxTop). */
  maxTop?: number;
  defaultTop?: number;
  /** Rows a page may examine before it stops short with a nextLink (default 250,000). */
  scanBudget?: number;
  /** 403 Authorization_RequestDenied (no AuditLog.Read.All) or Entra's licence error (no P1). */
  error?: 'forbidden' | 'noLicense';
  /** $filter clauses on these properties are accepted but not applied (a faulty server, for fail-closed tests). */
  ignoreFilterOn?: string[];
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
  /** Conditional Access What If (POST /identity/conditionalAccess/evaluate). */
  whatIf?: WhatIfOptions;
  /** Sign-in logs (GET /auditLogs/signIns). */
  signIns?: SignInOptions;
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
