/**
 * Reading a response body's bytes without the costs V8 and zlib add to large ones: one string of a whole page (V8
 * allocates a string over 128 KB in its large-object space, which on its own costs more than parsing it) and
 * decompressed output in many chunks joined into one.
 *
 * Self-contained on purpose (no imports; its methods refer to nothing outside the class): its source text is also
 * part of the code of the sign-in worker thread (sign-in-worker.ts), which reads most of a run's bytes.
 */
export class PageBytes {
  /**
   * Bytes of rows parsed together (see `parseJson`): well under the 128 KB from which V8 allocates a string in its
   * large-object space, each such string costing more than parsing it.
   */
  static readonly GROUP_BYTES = 48 * 1024;

  /**
   * A chunk size for node:zlib's gunzipSync that gives a gzip body's output in one chunk, not many to join: the size
   * its trailer gives (ISIZE, the size mod 2^32), within 16 KB (zlib's default) and 16 MB.
   */
  static gunzipChunkSize(gz: Uint8Array): number {
    const n = gz.byteLength;
    const size = n < 4 ? 0 : (gz[n - 4]! | (gz[n - 3]! << 8) | (gz[n - 2]! << 16)) + gz[n - 1]! * 2 ** 24;
    return Math.min(Math.max(size + 64, 16 * 1024), 16 * 1024 * 1024);
  }

  /**
   * `JSON.parse(text.toString('utf8'))`, the same value or the same SyntaxError, without making one string of a large
   * page. A page is `{…,"value":[row,…,row],…}`: its rows are parsed in groups of about GROUP_BYTES (`[` + rows +
   * `]`, cut after a `}` followed by `,{`), the rest alone with the array left empty, and the rows are put back.
   * That is JSON.parse's own result when (1) the text before the array ends with a top-level key "value" and its `[`
   * (checked by scanning it: a JSON prefix, as the rest's parse proves), (2) each group parses to a non-empty list
   * (then the groups joined by commas are a list of values), (3) the rest parses with the array empty, and (4) no
   * later top-level key is "value" (checked by scanning the small end): the whole is then JSON with that list in
   * that array. Any other text is parsed whole (a cut inside a string makes a group fail, and so the whole).
   */
  static parseJson(this: void, text: Buffer): unknown {
    const inGroups = PageBytes.parseJsonInGroups(text, PageBytes.GROUP_BYTES);
    return inGroups ? inGroups.value : JSON.parse(text.toString('utf8'));
  }

  /** `parse` in groups of about `group` bytes; undefined when that would not be JSON.parse's own result. */
  static parseJsonInGroups(text: Buffer, group: number): { value: unknown } | undefined {
    const open = text.length > 2 * group ? text.indexOf('"value":[') : -1;
    const start = open + '"value":['.length;
    const close = text.lastIndexOf(']'.charCodeAt(0));
    if (open < 0 || open > group || close < start || text.length - close > group) return undefined;
    if (!PageBytes.isTopLevelKey(text, open)) return undefined;
    try {
      const rest: unknown = JSON.parse(text.toString('utf8', 0, start) + text.toString('utf8', close));
      const isObject = typeof rest === 'object' && rest !== null && !Array.isArray(rest);
      if (!isObject || PageBytes.hasLaterValueKey(text, close)) return undefined;
      const rows: unknown[] = [];
      for (let from = start; from < close;) {
        const cut = from + group < close ? text.indexOf('},{', from + group) : -1;
        const to = cut < 0 || cut >= close ? close : cut + 1;
        const part: unknown = JSON.parse('[' + text.toString('utf8', from, to) + ']');
        // Only a group that is the whole array may be empty (`[ ]`).
        if (!Array.isArray(part) || (part.length === 0 && (from !== start || to !== close))) return undefined;
        for (const row of part) rows.push(row);
        from = to + 1;
      }
      (rest as Record<string, unknown>).value = rows;
      return { value: rest };
    } catch {
      return undefined;
    }
  }

  /**
   * Whether the string at `at` (`"value"`) is a key of the top-level object: outside any string, at depth 1, after
   * `{` or `,`. (For a JSON prefix, which the caller proves, this scan sees what JSON.parse sees.)
   */
  private static isTopLevelKey(text: Buffer, at: number): boolean {
    let depth = 0;
    let inString = false;
    let last = 0;
    for (let i = 0; i < at; i++) {
      const c = text[i]!;
      if (inString) {
        if (c === 0x5c) i++;
        else if (c === 0x22) inString = false;
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) depth--;
      last = c;
    }
    return !inString && depth === 1 && (last === 0x7b || last === 0x2c);
  }

  /** Whether a key "value" (however escaped) follows, at the top level, the array that ends at `close`. */
  private static hasLaterValueKey(text: Buffer, close: number): boolean {
    let depth = 2;
    let last = 0;
    for (let i = close; i < text.length; i++) {
      const c = text[i]!;
      if (c === 0x22) {
        let end = i + 1;
        while (end < text.length && text[end] !== 0x22) end += text[end] === 0x5c ? 2 : 1;
        if (end >= text.length) return true; // (not JSON: the whole parse says so)
        if (depth === 1 && last === 0x2c && JSON.parse(text.toString('utf8', i, end + 1)) === 'value') return true;
        i = end;
        last = c;
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) depth--;
      last = c;
    }
    return false;
  }
}
