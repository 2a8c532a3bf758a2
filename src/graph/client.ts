/**
 * The project's own small Graph interface (GET, paging, $batch) over `@microsoft/microsoft-graph-client` v3, so
 * the collector does not depend on the SDK and a later move to the Kiota SDK or plain fetch stays local.
 *
 * The SDK sends the bearer token only to hosts it knows: a --graph-url host (national cloud, test server) is
 * registered in `customHosts` (hostname, no port), or the Authorization header would be silently dropped.
 */
import type { LookupFunction } from 'node:net';
import { AuthenticationHandler, Client, GraphError } from '@microsoft/microsoft-graph-client';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { HttpsHandler, JsonBodyReader } from './https-handler.js';
import type { CollectionStats, WaitKind } from './resilience.js';
import {
  BackgroundRequest,
  CONNECT_FAILURE,
  ConnectFailure,
  Pacer,
  ResilienceHandler,
  TransportFailure,
} from './resilience.js';
import type { CollectionSettings } from './settings.js';

export type GraphVersion = 'v1.0' | 'beta';

/** A request that did not succeed: Graph's answer (status > 0) or a failure below HTTP (status 0). */
export class GraphRequestError extends Error {
  override name = 'GraphRequestError';
  constructor(
    readonly status: number,
    readonly graphCode: string | undefined,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Graph's host could not be reached, or is not who it must be, and retrying would not change that (a name that does
 * not resolve, a refused connection, a certificate for another name): "<host>: <cause>". It ends the run.
 */
export class GraphConnectError extends GraphRequestError {
  override name = 'GraphConnectError';
  constructor(message: string, options?: ErrorOptions) {
    super(0, undefined, message, options);
  }
}

export interface BatchRequest {
  id: string;
  /** Relative to the version root, e.g. "/users/{id}/authentication/requirements". */
  url: string;
  /** GET unless told (What If is a POST with a JSON body). */
  method?: 'GET' | 'POST';
  body?: unknown;
}

export interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface GetOptions {
  /** A JSON body is read by it (on another thread) and its value returned (see JsonBodyReader). */
  readJson?: JsonBodyReader['read'];
  /** The request takes a slot only when no other request is waiting for one (see BackgroundRequest). */
  background?: boolean;
}

export interface GraphTransport {
  /** GET a path relative to the Graph root ("v1.0/users?$top=999") or an absolute @odata.nextLink. */
  get(path: string, options?: GetOptions): Promise<Record<string, unknown>>;
  /** POST one $batch of at most 20 requests (GETs unless told); throttled entries are the caller's to retry. */
  batch(version: GraphVersion, requests: BatchRequest[]): Promise<BatchResponse[]>;
  readonly stats: CollectionStats;
  readonly pacer: Pacer;
  /** The Graph root, e.g. https://graph.microsoft.com */
  readonly root: string;
  close(): void;
}

interface TransportOptions {
  graphUrl: string;
  getAccessToken: () => Promise<string>;
  settings: CollectionSettings;
  stats: CollectionStats;
  onWait?: (ms: number, why: string, kind: WaitKind) => void;
  /** An extra trusted CA (PEM), for in-process tests; a spawned CLI uses NODE_EXTRA_CA_CERTS. */
  trustedCa?: string;
  /** Replaces DNS resolution, for in-process tests of names that do not resolve. */
  lookup?: LookupFunction;
}

const JSON_CONTENT = { 'Content-Type': 'application/json' };

export function createGraphTransport(options: TransportOptions): GraphTransport {
  const root = options.graphUrl.replace(/\/+$/, '');
  const host = new URL(root).hostname;
  // The token provider's own error (a failed sign-in) must reach the user as itself, not as a GraphError.
  let tokenFailure: unknown;
  const authProvider: AuthenticationProvider = {
    getAccessToken: async () => {
      try {
        return await options.getAccessToken();
      } catch (error) {
        tokenFailure = error;
        throw error;
      }
    },
  };
  const pacer = new Pacer(options.settings, options.stats, options.onWait);
  const https = new HttpsHandler({
    maxSockets: options.settings.concurrency,
    trustedCa: options.trustedCa,
    lookup: options.lookup,
  });
  const client = Client.initWithMiddleware({
    baseUrl: root + '/',
    defaultVersion: 'v1.0',
    customHosts: new Set([host]),
    // Auth → retries, pacing and timeouts → HTTPS. (The SDK's RetryHandler is left out on purpose.)
    middleware: [new AuthenticationHandler(authProvider), new ResilienceHandler(pacer), https],
    // Evolvable enums: without this, members Graph added after `unknownFutureValue` (e.g. platform `linux`) arrive as
    // `unknownFutureValue`, which the engine can only treat as unknown.
    fetchOptions: { headers: { 'Accept-Language': 'en-US', Prefer: 'include-unknown-enum-members' } },
  });

  const translate = (error: unknown, path: string): Error => {
    if (tokenFailure !== undefined) return tokenFailure as Error;
    if (error instanceof ConnectFailure) return new GraphConnectError(error.message, { cause: error });
    if (error instanceof GraphError) {
      if (error.code === CONNECT_FAILURE) return new GraphConnectError(error.message, { cause: error });
      if (error.code === 'TransportFailure' || error.statusCode <= 0) {
        return new GraphRequestError(0, undefined, error.message, { cause: error });
      }
      const code = error.code ?? undefined;
      const detail = error.message ? `: ${error.message}` : '';
      return new GraphRequestError(error.statusCode, code, `${path}: HTTP ${error.statusCode} ${code ?? ''}${detail}`, {
        cause: error,
      });
    }
    if (error instanceof TransportFailure) return new GraphRequestError(0, undefined, error.message, { cause: error });
    return error instanceof Error ? error : new Error(String(error));
  };

  const request = (path: string) => {
    if (/^https:\/\//i.test(path)) return client.api(path);
    const [version, ...rest] = path.replace(/^\/+/, '').split('/');
    return client.api('/' + rest.join('/')).version(version ?? 'v1.0');
  };

  return {
    stats: options.stats,
    pacer,
    root,
    async get(path, getOptions) {
      try {
        const get = request(path);
        if (getOptions) {
          const { readJson, background } = getOptions;
          get.middlewareOptions([
            ...(readJson ? [new JsonBodyReader(readJson)] : []),
            ...(background ? [new BackgroundRequest()] : []),
          ]);
        }
        return (await get.get()) as Record<string, unknown>;
      } catch (error) {
        throw translate(error, shortPath(path));
      }
    },
    async batch(version, requests) {
      options.stats.batchSubRequests += requests.length;
      const content = {
        requests: requests.map((r) =>
          r.body === undefined
            ? { id: r.id, method: r.method ?? 'GET', url: r.url }
            : { id: r.id, method: r.method ?? 'POST', url: r.url, body: r.body, headers: JSON_CONTENT },
        ),
      };
      try {
        const answer = (await client.api('/$batch').version(version).post(content)) as { responses?: unknown };
        if (!Array.isArray(answer?.responses)) {
          throw new GraphRequestError(0, undefined, `${version}/$batch: the answer has no 'responses' array`);
        }
        return answer.responses as BatchResponse[];
      } catch (error) {
        throw translate(error, `${version}/$batch`);
      }
    },
    close: () => https.close(),
  };
}

/** "v1.0/users" from a relative path or a nextLink, without the query (which may carry skip tokens). */
export function shortPath(path: string): string {
  const noHost = path.replace(/^https:\/\/[^/]+\//i, '');
  return noHost.split('?')[0]!.replace(/^\/+/, '');
}
