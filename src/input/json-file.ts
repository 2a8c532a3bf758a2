import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { looksLikeToken } from './token-decode.js';

/** Config and baseline files are small; anything larger is a mistake (a report passed by accident). */
const MAX_BYTES = 10 * 1024 * 1024;

/** Reads a small JSON file; an unreadable, oversized or non-JSON file is an InputError naming `what` and `label`. */
export async function readJsonFile(path: string, label: string, what: string): Promise<unknown> {
  let text: string;
  try {
    const buffer = await readFile(path);
    if (buffer.length > MAX_BYTES) throw new InputError(`${what} ${label}: larger than 10 MB`);
    text = buffer.toString('utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new InputError(`${what} ${label}: cannot read (${why})`, { cause: error });
  }
  const json = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new InputError(`${what} ${label}: ${describeJsonSyntaxError(json)}`, { cause: error });
  }
}

/** Where JSON text first breaks the grammar, and how (JSON.parse's own message quotes raw bytes). */
interface SyntaxProblem {
  offset: number;
  reason: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const BLANKS = /[ \t\n\r]*/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})/y;

/** A JSON grammar check that only finds the first error: iterative, so deep nesting cannot overflow the stack. */
class JsonScanner {
  private i = 0;
  private readonly stack: ('}' | ']')[] = [];
  constructor(private readonly text: string) {}

  /** The first problem, or undefined when the text is valid JSON. */
  scan(): SyntaxProblem | undefined {
    for (;;) {
      const problem = this.value();
      if (problem === 'opened') continue;
      if (problem) return problem;
      const after = this.afterValue();
      if (after !== 'next') return after;
    }
  }

  private fail(reason: string, offset = this.i): SyntaxProblem {
    return { offset, reason };
  }

  private blanks(): void {
    BLANKS.lastIndex = this.i;
    BLANKS.exec(this.text);
    this.i = BLANKS.lastIndex;
  }

  /** A value at `i`; 'opened' when it opens a non-empty array or object (after the first member's name). */
  private value(): SyntaxProblem | undefined | 'opened' {
    this.blanks();
    const c = this.text[this.i];
    if (c === undefined) return this.fail('unexpected end of input');
    if (c === '{' || c === '[') {
      this.i++;
      this.blanks();
      const close = c === '{' ? '}' : ']';
      if (this.text[this.i] === close) {
        this.i++;
        return undefined;
      }
      this.stack.push(close);
      return (close === '}' ? this.name() : undefined) ?? 'opened';
    }
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = this.i;
      if (!NUMBER.test(this.text)) return this.fail('invalid number');
      this.i = NUMBER.lastIndex;
      return undefined;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.i)) {
        this.i += literal.length;
        return undefined;
      }
    }
    return this.fail('unexpected character');
  }

  /** `"name":` of an object's member. */
  private name(): SyntaxProblem | undefined {
    this.blanks();
    if (this.text[this.i] !== '"') {
      return this.fail(
        this.i >= this.text.length ? 'unexpected end of input' : 'expected a property name in double quotes',
      );
    }
    const problem = this.string();
    if (problem) return problem;
    this.blanks();
    if (this.text[this.i] !== ':')
      return this.fail(this.i >= this.text.length ? 'unexpected end of input' : "expected ':'");
    this.i++;
    return undefined;
  }

  private string(): SyntaxProblem | undefined {
    this.i++;
    for (;;) {
      const code = this.text.charCodeAt(this.i);
      if (Number.isNaN(code)) return this.fail('unexpected end of input');
      if (code === 0x22) {
        this.i++;
        return undefined;
      }
      if (code < 0x20) return this.fail('control character in a string');
      if (code === 0x5c) {
        ESCAPE.lastIndex = this.i;
        if (!ESCAPE.test(this.text)) return this.fail('invalid escape in a string', this.i + 1);
        this.i = ESCAPE.lastIndex;
      } else this.i++;
    }
  }

  /** After a value: close brackets, then 'next' for a following value, else the end (undefined) or a problem. */
  private afterValue(): SyntaxProblem | undefined | 'next' {
    for (;;) {
      this.blanks();
      const close = this.stack[this.stack.length - 1];
      const c = this.text[this.i];
      if (close === undefined) return c === undefined ? undefined : this.fail('unexpected text after the JSON value');
      if (c === undefined) return this.fail('unexpected end of input');
      if (c === close) {
        this.i++;
        this.stack.pop();
      } else if (c === ',') {
        this.i++;
        return (close === '}' ? this.name() : undefined) ?? 'next';
      } else {
        return this.fail(`expected ',' or '${close}'`);
      }
    }
  }
}

/** Characters of a compact token: a run of them near an error is searched for one. */
const TOKEN_CHAR = /[A-Za-z0-9_.=-]/;
const EXCERPT_RADIUS = 20;

/** `text` for one line of a terminal: printable ASCII only, the rest as JSON escapes. */
function escaped(text: string): string {
  const short: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '"': '\\"', '\\': '\\\\' };
  return text.replace(/[^\x20-\x7e]|["\\]/g, (c) => short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Up to EXCERPT_RADIUS characters either side of `offset`, escaped; withheld when a token runs through it. */
function excerpt(text: string, offset: number): string {
  let start = Math.max(0, offset - EXCERPT_RADIUS);
  let end = Math.min(text.length, offset + EXCERPT_RADIUS);
  const shown = text.slice(start, end);
  while (start > 0 && TOKEN_CHAR.test(text[start - 1] ?? '')) start--;
  while (end < text.length && TOKEN_CHAR.test(text[end] ?? '')) end++;
  if (looksLikeToken(text.slice(start, end))) return '(excerpt not shown: it holds what looks like an access token)';
  return shown === '' ? '(at the end of the file)' : `near "${escaped(shown)}"`;
}

/**
 * Why `text` (which JSON.parse refused) is not JSON: "not valid JSON at line 3, column 8: unexpected character,
 * near "…"": a position and a short escaped excerpt, never raw bytes (a terminal escape sequence in a broken file
 * must not act on the terminal that shows the error) and never a token.
 */
export function describeJsonSyntaxError(text: string): string {
  const problem = new JsonScanner(text).scan() ?? { offset: 0, reason: 'not accepted by the JSON parser' };
  const before = text.slice(0, problem.offset);
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  const column = problem.offset - (before.lastIndexOf('\n') + 1) + 1;
  return `not valid JSON at line ${line}, column ${column}: ${problem.reason}, ${excerpt(text, problem.offset)}`;
}
