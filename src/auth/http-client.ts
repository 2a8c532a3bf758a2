/**
 * The network module msal-node talks through (`system.networkClient`), over `node:https`.
 *
 * Why not msal's default fetch client: it has no timeout on POST requests (a token endpoint that never answers
 * would hang the CI gate forever), and msal folds every non-msal network error into a bare "network_error",
 * losing the reason. This client bounds every request and remembers why the last one failed, so the error
 * mapping in `sign-in-errors.ts` can say "connection refused" or "no answer within 30 s".
 *
 * Trust: by default Node's CA store (which includes NODE_EXTRA_CA_CERTS). `trustedCa` adds CA certificates on
 * top of the bundled roots, for in-process tests against a local identity provider with a test certificate.
 */
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { describeCause, networkCause } from '../graph/network-errors.js';

const DEFAULT_SIGN_IN_TIMEOUT_MS = 30_000;
/** Identity-provider answers are small JSON documents; anything bigger is not one. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface NetworkFailure {
  kind: 'timeout' | 'unreachable' | 'bad-response';
  /** Scheme, host and port only: never a query string. */
  origin: string;
  reason: string;
}

/** The OAuth error body of an HTTP error answer (msal drops the description in some flows, e.g. device code). */
export interface ErrorAnswer {
  status: number;
  error: string;
  description: string;
}

export interface BoundedNetworkClient extends INetworkModule {
  /** Why the most recent request failed below HTTP (undefined when it got an answer). */
  lastFailure: NetworkFailure | undefined;
  /** The most recent HTTP error answer carrying an OAuth `error`. */
  lastErrorAnswer: ErrorAnswer | undefined;
}

export function boundedNetworkClient(options: { timeoutMs?: number; trustedCa?: string } = {}): BoundedNetworkClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
  const ca = options.trustedCa === undefined ? undefined : [...rootCertificates, options.trustedCa];
  const client: BoundedNetworkClient = {
    lastFailure: undefined,
    lastErrorAnswer: undefined,
    sendGetRequestAsync<T>(url: string, requestOptions?: NetworkRequestOptions, timeout?: number) {
      return send<T>(client, 'GET', url, requestOptions, Math.min(timeout ?? timeoutMs, timeoutMs), ca);
    },
    sendPostRequestAsync<T>(url: string, requestOptions?: NetworkRequestOptions) {
      return send<T>(client, 'POST', url, requestOptions, timeoutMs, ca);
    },
  };
  return client;
}

function send<T>(
  client: BoundedNetworkClient,
  method: 'GET' | 'POST',
  url: string,
  options: NetworkRequestOptions | undefined,
  timeoutMs: number,
  ca: string[] | undefined,
): Promise<NetworkResponse<T>> {
  const target = new URL(url);
  const origin = target.origin;
  const body = method === 'POST' ? (options?.body ?? '') : undefined;
  const headers: Record<string, string | number> = { ...(options?.headers ?? {}) };
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);

  return new Promise<NetworkResponse<T>>((resolve, reject) => {
    let settled = false;
    const fail = (failure: NetworkFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.lastFailure = failure;
      req.destroy();
      reject(new Error(`${failure.kind}: ${failure.reason}`));
    };
    const req = request(target, { method, headers, ...(ca ? { ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          fail({ kind: 'bad-response', origin, reason: 'the answer is larger than 1 MB' });
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (error) => fail({ kind: 'unreachable', origin, reason: describeSocketError(error) }));
      res.on('end', () => {
        if (settled) return;
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = text === '' ? {} : JSON.parse(text);
        } catch {
          fail({ kind: 'bad-response', origin, reason: `HTTP ${res.statusCode ?? '?'} with a body that is not JSON` });
          return;
        }
        settled = true;
        clearTimeout(timer);
        client.lastFailure = undefined;
        const status = res.statusCode ?? 0;
        const answer = parsed as { error?: unknown; error_description?: unknown };
        if (status >= 400 && typeof answer?.error === 'string') {
          const description = typeof answer.error_description === 'string' ? answer.error_description : '';
          client.lastErrorAnswer = { status, error: answer.error, description };
        }
        resolve({ headers: flattenHeaders(res.headers), body: parsed as T, status: res.statusCode ?? 0 });
      });
    });
    const timer = setTimeout(
      () => fail({ kind: 'timeout', origin, reason: `no answer within ${formatDuration(timeoutMs)}` }),
      timeoutMs,
    );
    req.on('error', (error) => fail({ kind: 'unreachable', origin, reason: describeSocketError(error) }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * Socket and TLS errors in words a person can act on (never the request, which may hold a secret), in the words of
 * the Graph transport (network-errors.ts); TLS failures keep their code, which says which check failed. msal-node
 * does not retry, and neither does this client: a sign-in fails at once.
 */
function describeSocketError(error: Error): string {
  const cause = networkCause(error);
  if (!cause.described) return cause.code ?? 'network error';
  return describeCause(cause.stage === 'tls' ? cause : { ...cause, code: undefined });
}
