/**
 * The last middleware of the Graph client: sends the request over `node:https` with a keep-alive agent, the way
 * the SDK's HTTPMessageHandler does with fetch, but with what a CI gate needs: the abort signal of the resilience
 * handler (timeouts), detection of bodies cut short (a reset mid-body is a failure, not a short JSON document),
 * gzip, and an optional extra CA for in-process tests (a spawned CLI trusts NODE_EXTRA_CA_CERTS like any Node
 * program).
 */
import { Agent, request } from 'node:https';
import type { LookupFunction } from 'node:net';
import { createSecureContext, rootCertificates } from 'node:tls';
import { gunzip as gunzipInPool, gunzipSync } from 'node:zlib';
import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import { PageBytes } from './page-bytes.js';

/** Bigger than any Graph page (999 users with $select is well under 5 MB). */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

/** gunzipSync, its output in one chunk (see PageBytes.gunzipChunkSize). */
const gunzip = (bytes: Uint8Array): Buffer => gunzipSync(bytes, { chunkSize: PageBytes.gunzipChunkSize(bytes) });

/**
 * gunzip in libuv's thread pool, for bodies decompressed as they arrive: decompressing a page of 999 users takes
 * milliseconds, during which this thread would read no other answer (the same output and errors as `gunzip`).
 */
const gunzipOffThread = (bytes: Uint8Array): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    gunzipInPool(bytes, { chunkSize: PageBytes.gunzipChunkSize(bytes) }, (error, out) =>
      error ? reject(error) : resolve(out),
    ),
  );

/**
 * A JSON body read elsewhere (another thread), as JsonBodyReader's `read` reports it: its value; not JSON (retried
 * like any bad body); empty once decompressed (as an empty body here); or not decompressible (a failure of the
 * exchange, as when it is decompressed here).
 */
export type JsonReading =
  | { kind: 'value'; value: unknown }
  | { kind: 'invalid' }
  | { kind: 'empty' }
  | { kind: 'unreadable'; code: string | undefined; message: string };

/** A body handed over as it came: bytes, gzip-compressed or not. */
export interface RawBody {
  bytes: Uint8Array;
  gzipped: boolean;
}

/**
 * A request's option (SDK middleware option): its JSON body is handed to `read` as it came (still compressed) instead
 * of being decompressed, decoded and parsed on this thread; the value `read` gives is what the SDK returns.
 */
export class JsonBodyReader implements MiddlewareOptions {
  constructor(readonly read: (body: RawBody) => Promise<JsonReading>) {}
}

/** The SDK reads a body with `json()` only for this media type (any other is returned as text or a stream). */
export const sdkParsesJson = (type: string | null | undefined): boolean =>
  (type ?? '').split(';')[0] === 'application/json';

/**
 * A response whose body was read whole (so a cut-off body is caught before the SDK sees it) and is parsed at most
 * once: the resilience handler parses JSON to check it, and the SDK's `json()` gets that same value. Pages of 999
 * users are large; decoding and parsing them twice would cost more than the request itself. A body kept as bytes is
 * decoded when first read; one handed over (`handOver`, for a JsonBodyReader) is never decoded here.
 */
export class BufferedResponse extends Response {
  private parsed: unknown;
  private isParsed = false;
  private raw: RawBody | undefined;
  private decoded: string | undefined;

  constructor(body: string | Uint8Array | RawBody, status: number, headers: Headers) {
    super(null, { status, headers });
    if (typeof body === 'string') this.decoded = body;
    else if (body instanceof Uint8Array) this.raw = { bytes: body, gzipped: false };
    else this.raw = body;
  }

  /** The body as text (utf-8), decoded once. */
  get bodyText(): string {
    this.decoded ??= this.bytes().toString('utf8');
    this.raw = undefined;
    return this.decoded;
  }

  /** The body's bytes, decompressed. */
  private bytes(): Buffer {
    if (this.raw === undefined) throw new Error('the body was handed over to be read elsewhere');
    const { bytes, gzipped } = this.raw;
    const plain = gzipped ? gunzip(bytes) : bytes;
    return Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
  }

  /** No body (a compressed body is not empty: it is at least gzip's header). */
  get isEmpty(): boolean {
    return this.decoded === undefined ? this.raw === undefined || this.raw.bytes.byteLength === 0 : this.decoded === '';
  }

  /**
   * The body as it came, handed over to be read elsewhere: this response then has only what `read` reports
   * (setParsed, or setText for an empty body). Undefined once the body has been decoded here.
   */
  handOver(): RawBody | undefined {
    const raw = this.raw;
    this.raw = undefined;
    return raw;
  }

  /** The body's JSON value, parsed elsewhere. */
  setParsed(value: unknown): void {
    this.parsed = value;
    this.isParsed = true;
  }

  /** The body's text, decoded elsewhere. */
  setText(text: string): void {
    this.decoded = text;
  }

  override text = (): Promise<string> => Promise.resolve(this.bodyText);
  override json = (): Promise<unknown> => Promise.resolve().then(() => this.parseJson());

  /**
   * Parse (once); throws a SyntaxError for a body that is not JSON. From the bytes when the text was not needed
   * (PageBytes.parseJson: JSON.parse's own result, without one string of a whole large page).
   */
  parseJson(): unknown {
    if (!this.isParsed) {
      this.parsed = this.decoded === undefined ? PageBytes.parseJson(this.bytes()) : JSON.parse(this.decoded);
      this.isParsed = true;
    }
    return this.parsed;
  }
}

export class HttpsHandler implements Middleware {
  private readonly agent: Agent;

  /** `lookup` replaces DNS resolution (tests: a name that does not resolve, without asking any DNS server). */
  constructor(options: { maxSockets: number; trustedCa?: string; lookup?: LookupFunction }) {
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: options.maxSockets,
      ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
      // One secure context for the extra CA, made once: a `ca` option would be re-joined into the agent's pool
      // name on every request and re-parsed on every connection.
      ...(options.trustedCa === undefined
        ? {}
        : { secureContext: createSecureContext({ ca: [...rootCertificates, options.trustedCa] }) }),
    });
  }

  close(): void {
    this.agent.destroy();
  }

  async execute(context: Context): Promise<void> {
    // RequestInfo is a DOM type (not in this project's lib): a string or a Request with its url.
    const url = typeof context.request === 'string' ? context.request : (context.request as { url: string }).url;
    const init = context.options ?? {};
    const headers: Record<string, string> = { 'accept-encoding': 'gzip' };
    const given = init.headers;
    if (given instanceof Headers) given.forEach((value, name) => (headers[name.toLowerCase()] = value));
    else if (Array.isArray(given))
      for (const [name, value] of given) headers[String(name).toLowerCase()] = String(value);
    else if (given) for (const [name, value] of Object.entries(given)) headers[name.toLowerCase()] = String(value);
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const signal = init.signal ?? undefined;
    const handOver = context.middlewareControl?.getMiddlewareOptions(JsonBodyReader) !== undefined;
    try {
      context.response = await this.send(url, init.method ?? 'GET', headers, body, signal, handOver);
    } catch (error) {
      // A kept-alive connection the server closed while idle fails on reuse before the request reached it: send
      // again at once on a fresh connection (Node's advice), without spending a retry or a backoff on it.
      if (!(error as { reusedSocket?: boolean }).reusedSocket || signal?.aborted) throw error;
      context.response = await this.send(url, init.method ?? 'GET', headers, body, signal, handOver);
    }
  }

  private send(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
    /** A JsonBodyReader reads a successful JSON body: it is left compressed, for the reader to decompress. */
    handOver: boolean,
  ): Promise<Response> {
    return new Promise<Response>((resolve, reject) => {
      let responded = false;
      const req = request(url, { method, headers, agent: this.agent, signal }, (res) => {
        responded = true;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            req.destroy(new Error('response body too large'));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('connection closed before the body was complete')));
        res.on('end', () => {
          if (!res.complete) {
            reject(new Error('connection closed before the body was complete'));
            return;
          }
          const status = res.statusCode ?? 0;
          const data: Buffer = Buffer.concat(chunks);
          const gzipped = /gzip/i.test(String(res.headers['content-encoding'] ?? ''));
          // (An empty body is decompressed here, and fails here, as any other.)
          const kept = gzipped && handOver && status < 300 && sdkParsesJson(res.headers['content-type']) && size > 0;
          const unreadable = (error: unknown): void =>
            reject(error instanceof Error ? error : new Error('the response could not be read', { cause: error }));
          // Also after a gunzip in the pool: whatever fails rejects, so the exchange never waits forever.
          const respond = (bytes: Buffer): void => {
            try {
              const responseHeaders = new Headers();
              for (const [name, value] of Object.entries(res.headers)) {
                if (value === undefined || name === 'content-encoding' || name === 'content-length') continue;
                responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
              }
              resolve(new BufferedResponse({ bytes, gzipped: kept }, status, responseHeaders));
            } catch (error) {
              unreadable(error);
            }
          };
          if (gzipped && !kept) gunzipOffThread(data).then(respond, unreadable);
          else respond(data);
        });
      });
      req.on('error', (error: Error & { code?: string; reusedSocket?: boolean }) => {
        if (req.reusedSocket && error.code === 'ECONNRESET' && !responded) error.reusedSocket = true;
        reject(error);
      });
      req.end(body);
    });
  }
}
