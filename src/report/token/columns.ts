/**
 * Columns of text for the token table, laid out here rather than by cli-table3: with 10,000 tokens cli-table3 spent
 * most of a ten-second run measuring ANSI codes cell by cell. Text is wrapped first and painted after, so colour
 * codes never count as width, and a word longer than its column is broken, never cut short.
 *
 * On a terminal the columns are boxed; anywhere else (a file, a pipe, a screen reader) they are plain text aligned
 * with two spaces between columns and no trailing blanks.
 */

/** One cell: its text (printable already) and how to paint each of its lines once wrapped. */
export interface Cell {
  text: string;
  paint?: (text: string) => string;
}

export interface ColumnStyle {
  /** Box drawing (a terminal) or plain aligned text. */
  boxes: boolean;
  /** How the header row is painted. */
  head: (text: string) => string;
}

/** Characters a table of `count` columns adds to the widths of its text: borders and padding, or separators. */
export function columnOverhead(count: number, boxes: boolean): number {
  return boxes ? 3 * count + 1 : PLAIN_GAP.length * (count - 1);
}

const PLAIN_GAP = '  ';

/** A table: a header row, then the rows, each column `widths[i]` characters of text wide. */
export function renderColumns(
  head: readonly string[],
  rows: readonly Cell[][],
  widths: readonly number[],
  style: ColumnStyle,
): string {
  const out: string[] = [...headLines(head, widths, style)];
  for (const row of rows) appendRow(out, row, widths, style.boxes);
  if (style.boxes) out.push(rule('└', '┴', '┘', widths));
  return out.join('\n');
}

/** The top of a table, drawn once per style and shape: a report of 10,000 tokens repeats the same header. */
const HEADS = new WeakMap<ColumnStyle, Map<string, readonly string[]>>();

function headLines(head: readonly string[], widths: readonly number[], style: ColumnStyle): readonly string[] {
  let byShape = HEADS.get(style);
  if (!byShape) HEADS.set(style, (byShape = new Map<string, readonly string[]>()));
  const key = `${head.join('\n')}\n${widths.join(',')}`;
  let lines = byShape.get(key);
  if (!lines) {
    const drawn = style.boxes ? [rule('┌', '┬', '┐', widths)] : [];
    appendRow(
      drawn,
      head.map((text) => ({ text, paint: style.head })),
      widths,
      style.boxes,
    );
    byShape.set(key, (lines = drawn));
  }
  return lines;
}

function rule(left: string, middle: string, right: string, widths: readonly number[]): string {
  return left + widths.map((width) => '─'.repeat(width + 2)).join(middle) + right;
}

const BLANKS = ' '.repeat(256);

function blanks(count: number): string {
  return count <= 0 ? '' : count <= BLANKS.length ? BLANKS.slice(0, count) : ' '.repeat(count);
}

function appendRow(out: string[], row: readonly Cell[], widths: readonly number[], boxes: boolean): void {
  const columns = widths.length;
  const cells: string[][] = [];
  let height = 1;
  for (let i = 0; i < columns; i++) {
    const lines = wrap(row[i]?.text ?? '', widths[i]!);
    cells.push(lines);
    if (lines.length > height) height = lines.length;
  }
  for (let line = 0; line < height; line++) {
    let text = boxes ? '│ ' : '';
    for (let i = 0; i < columns; i++) {
      const part = cells[i]![line] ?? '';
      const paint = row[i]?.paint;
      const painted = paint !== undefined && part !== '' ? paint(part) : part;
      if (i === columns - 1 && !boxes) {
        // Plain text leaves the last column unpadded: trailing blanks only get in the way of diffs and copy-paste.
        text = (text + painted).trimEnd();
      } else {
        text +=
          painted + blanks(widths[i]! - displayWidth(part)) + (boxes ? (i === columns - 1 ? ' │' : ' │ ') : PLAIN_GAP);
      }
    }
    out.push(text);
  }
}

/** Greedy word wrap on spaces, paragraph by paragraph; a word longer than the width is broken across lines. */
export function wrap(text: string, width: number): string[] {
  const max = Math.max(width, 1);
  const out: string[] = [];
  // Nearly every cell is one line that fits.
  if (text.length <= max && !text.includes('\n') && displayWidth(text) <= max) return [text];
  for (const paragraph of text.split('\n')) {
    if (displayWidth(paragraph) <= max) {
      out.push(paragraph);
      continue;
    }
    let line = '';
    let used = 0;
    for (const word of paragraph.split(' ')) {
      const size = displayWidth(word);
      if (line !== '' && used + 1 + size <= max) {
        line += ` ${word}`;
        used += 1 + size;
        continue;
      }
      if (line !== '') out.push(line);
      if (size <= max) {
        line = word;
        used = size;
        continue;
      }
      const pieces = breakWord(word, max);
      line = pieces.pop()!;
      used = displayWidth(line);
      out.push(...pieces);
    }
    out.push(line);
  }
  return out;
}

/** A word too long for its column, in pieces of at most `max` columns (the last piece may be shorter). */
function breakWord(word: string, max: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const char of word) {
    const size = charWidth(char.codePointAt(0)!);
    if (used + size > max && piece !== '') {
      pieces.push(piece);
      piece = '';
      used = 0;
    }
    piece += char;
    used += size;
  }
  pieces.push(piece);
  return pieces;
}

/** Columns a text takes on a terminal: wide (East Asian, emoji) characters two, combining marks none. */
export function displayWidth(text: string): number {
  // Nearly every cell is ASCII: one column per character.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const char of text) width += charWidth(char.codePointAt(0)!);
  return width;
}

/** Wide and zero-width ranges, after Unicode's East Asian Width (W, F) and the combining-mark blocks. */
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];
const ZERO: ReadonlyArray<readonly [number, number]> = [
  [0x0300, 0x036f],
  [0x200b, 0x200f],
  [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f],
];

function charWidth(code: number): number {
  if (code < 0x300) return 1;
  if (ZERO.some(([from, to]) => code >= from && code <= to)) return 0;
  return WIDE.some(([from, to]) => code >= from && code <= to) ? 2 : 1;
}
