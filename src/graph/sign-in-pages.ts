/**
 * Reading the pages of the sign-in log (evaluation.md §9.2): decoding, parsing and counting them, the CPU-heavy part
 * of the sign-in reading (a month of a large tenant is millions of rows, hundreds of megabytes of JSON).
 *
 * `SignInPageCounter` is self-contained on purpose: no imports, and its methods refer to nothing outside the class
 * (only JavaScript's and Node's globals). Its source text is the code of the worker thread that reads the pages
 * (sign-in-worker.ts), so the same class, compiled by tsc into dist/ or by vitest from this file, counts on either
 * thread, and the counting rules exist once.
 */

export type SliceKind = 'singleFactorAuthentication' | 'multiFactorAuthentication';
export type Row = Record<string, unknown>;

export interface SignInCounts {
  mfa: number;
  mfaByClaim: number;
  singleFactor: number;
}

/** What the counter is asked, by message (a worker) or by call (this thread). */
export type PageRequest =
  /** A page's body as it came (utf-8 JSON, gzip-compressed or not), to decompress, decode, parse and count. */
  | { type: 'body'; bytes: Uint8Array; gzipped: boolean; kind: SliceKind }
  /** A page's rows, parsed already, to count. */
  | { type: 'rows'; rows: unknown[]; kind: SliceKind }
  /** The counts of every page counted so far (see countValues). */
  | { type: 'counts' };

/** Kept rows as JSON text: `count` rows in arrays of at most KEPT_PER_CHUNK (each well under 128 KB of text). */
export interface KeptJson {
  count: number;
  chunks: string[];
}

export type PageReply =
  /**
   * A page read: its number of rows, the single-factor rows kept (reduced; as JSON text when `handle` gives them to
   * be sent to another thread, see `handle`), the link to the next page.
   */
  | {
      type: 'page';
      rows: number;
      kept: Row[];
      keptJson?: KeptJson;
      nextLink: string | undefined;
      /** The users this page counted first, in order (see `handle`). */
      newUsers?: string[];
    }
  /** JSON, but not an object (nothing counted): the caller reads the value as it reads any other body. */
  | { type: 'value'; value: unknown }
  /** Not JSON (or cut short): nothing counted. */
  | { type: 'invalid' }
  /** Nothing once decompressed. */
  | { type: 'empty' }
  /** Not decompressible: the decompressor's error. */
  | { type: 'unreadable'; code: string | undefined; message: string }
  | { type: 'kept'; kept: Row[]; newUsers?: string[] }
  /** The counts in the order of first sight: mfa, mfaByClaim, singleFactor for each user (see countValues). */
  | { type: 'counts'; values: Float64Array };

export class SignInPageCounter {
  /**
   * Counts by lower-case user id, ids spelt in more than one case added up, in order of first sight (lower-casing each
   * row's id here costs less than folding the map at the end, which would hold up the reading's last answer).
   */
  private readonly users = new Map<string, SignInCounts>();
  /** The users' ids in order of first sight, and how many of them a reply to another thread has named. */
  private readonly order: string[] = [];
  private named = 0;

  /**
   * `fields`: the signIn properties a verdict reads, all a kept single-factor row keeps; `gunzip` (node:zlib's
   * gunzipSync) and `parse` (PageBytes.parseJson, `JSON.parse` of the bytes as utf-8) are given, as this class imports
   * nothing.
   */
  constructor(
    private readonly fields: readonly string[],
    private readonly gunzip: (bytes: Uint8Array) => Uint8Array,
    private readonly parse: (text: Buffer) => unknown,
  ) {}

  /** Single-factor rows per chunk of JSON text (a row is about 600 bytes). */
  static readonly KEPT_PER_CHUNK = 100;

  /**
   * A request from another thread: the kept rows of a page are sent as JSON text, which that thread parses in a third
   * of the time a structured clone of them takes, and when it has the time (a row holding -0, which JSON would write
   * as 0, is cloned instead).
   */
  handle(request: PageRequest): PageReply {
    const reply = this.reply(request);
    // The users counted for the first time go with the reply, so the other thread makes their entries of the counts
    // while the reading runs; at its end it is sent only the numbers (countValues), in the same order.
    if ((reply.type === 'page' || reply.type === 'kept') && this.named < this.order.length) {
      reply.newUsers = this.order.slice(this.named);
      this.named = this.order.length;
    }
    return reply;
  }

  private reply(request: PageRequest): PageReply {
    if (request.type === 'rows') return { type: 'kept', kept: this.countRows(request.rows, request.kind) };
    if (request.type === 'counts') return { type: 'counts', values: this.countValues() };
    const reply = this.readBody(request.bytes, request.gzipped, request.kind);
    if (reply.type !== 'page' || reply.kept.length === 0 || SignInPageCounter.holdsNegativeZero(reply.kept))
      return reply;
    const chunks: string[] = [];
    for (let i = 0; i < reply.kept.length; i += SignInPageCounter.KEPT_PER_CHUNK)
      chunks.push(JSON.stringify(reply.kept.slice(i, i + SignInPageCounter.KEPT_PER_CHUNK)));
    return { ...reply, kept: [], keptJson: { count: reply.kept.length, chunks } };
  }

  /** Decompresses and parses a body as the main thread would (gunzipSync, `JSON.parse`), then counts it. */
  readBody(compressed: Uint8Array, gzipped: boolean, kind: SliceKind): PageReply {
    let bytes = compressed;
    if (gzipped) {
      try {
        bytes = this.gunzip(compressed);
      } catch (error) {
        const { code, message } = error as { code?: unknown; message?: unknown };
        return { type: 'unreadable', code: typeof code === 'string' ? code : undefined, message: String(message) };
      }
    }
    if (bytes.byteLength === 0) return { type: 'empty' };
    let body: unknown;
    try {
      body = this.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch {
      return { type: 'invalid' };
    }
    if (!SignInPageCounter.isObject(body)) return { type: 'value', value: body };
    const rows = Array.isArray(body.value) ? (body.value as unknown[]) : [];
    const kept = this.countRows(rows, kind);
    const link = body['@odata.nextLink'];
    return {
      type: 'page',
      rows: rows.length,
      kept,
      nextLink: typeof link === 'string' && link !== '' ? link : undefined,
    };
  }

  /**
   * Counts one page's rows; returns the single-factor rows kept. Each query asks the server for one requirement, and
   * each row is checked again (a server that ignored the filter must not make a single-factor sign-in count as MFA):
   * a single-factor row is kept only when it also shows its success; an MFA row is only counted.
   */
  countRows(rows: unknown[], kind: SliceKind): Row[] {
    const isObject = SignInPageCounter.isObject;
    const kept: Row[] = [];
    for (const row of rows) {
      if (!isObject(row) || typeof row.userId !== 'string' || row.userId === '') continue;
      if (row.authenticationRequirement !== kind) continue;
      if (kind === 'singleFactorAuthentication') {
        if (!isObject(row.status) || row.status.errorCode !== 0) continue;
        this.countsOf(row.userId.toLowerCase()).singleFactor++;
        kept.push(this.reduced(row));
        continue;
      }
      const c = this.countsOf(row.userId.toLowerCase());
      c.mfa++;
      if (SignInPageCounter.satisfiedByClaim(row)) c.mfaByClaim++;
    }
    return kept;
  }

  /** The counts keyed by lower-case user id, adding up ids spelt in more than one case. */
  counts(): Array<[string, SignInCounts]> {
    return [...this.users];
  }

  /** The counts of `counts()`, in its order, as numbers only: mfa, mfaByClaim and singleFactor of each user. */
  countValues(): Float64Array {
    const values = new Float64Array(this.users.size * 3);
    let i = 0;
    for (const c of this.users.values()) {
      values[i++] = c.mfa;
      values[i++] = c.mfaByClaim;
      values[i++] = c.singleFactor;
    }
    return values;
  }

  /** A single-factor row reduced to what a verdict reads. */
  private reduced(row: Row): Row {
    const out: Row = {};
    for (const field of this.fields) if (row[field] !== undefined) out[field] = row[field];
    out.status = { errorCode: 0 };
    if (Array.isArray(row.authenticationDetails)) {
      out.authenticationDetails = row.authenticationDetails
        .filter(SignInPageCounter.isObject)
        .map((d) => ({ authenticationStepResultDetail: d.authenticationStepResultDetail }));
    }
    return out;
  }

  private static holdsNegativeZero(this: void, v: unknown): boolean {
    if (typeof v === 'number') return Object.is(v, -0);
    if (typeof v !== 'object' || v === null) return false;
    return Object.values(v).some(SignInPageCounter.holdsNegativeZero);
  }

  private static isObject(this: void, v: unknown): v is Row {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  }

  private countsOf(id: string): SignInCounts {
    let c = this.users.get(id);
    if (!c) {
      this.users.set(id, (c = { mfa: 0, mfaByClaim: 0, singleFactor: 0 }));
      this.order.push(id);
    }
    return c;
  }

  private static satisfiedByClaim(row: Row): boolean {
    return (
      Array.isArray(row.authenticationDetails) &&
      row.authenticationDetails.some(
        (d) =>
          SignInPageCounter.isObject(d) &&
          typeof d.authenticationStepResultDetail === 'string' &&
          /satisfied by claim/i.test(d.authenticationStepResultDetail),
      )
    );
  }
}
