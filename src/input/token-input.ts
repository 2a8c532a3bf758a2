/**
 * Where tokens come from: arguments, `-` or piped stdin, `--file PATH` (one per line, blank lines skipped).
 * Reads are capped, so a 100 MB pipe ends in one clear error instead of a stalled process.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import type { DecodedWithRaw } from './token-decode.js';
import { decodeToken } from './token-decode.js';

/** 10,000 tokens of ~2 KB are 20 MB; a list much larger is not a token list. */
const MAX_INPUT_BYTES = 32 * 1024 * 1024;
const MAX_INPUT_TEXT = '32 MiB';

export interface RawToken {
  text: string;
  /** For people: "argument 1", "stdin", "stdin line 2", "tokens.txt line 7". */
  source: string;
}

interface TokenSources {
  file?: string;
}

async function readStdin(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) {
      io.stdin.destroy();
      throw new InputError(`stdin is larger than ${MAX_INPUT_TEXT}: that is not a list of access tokens`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readTokenFile(io: Io, path: string): Promise<string> {
  const full = resolve(io.cwd, path);
  try {
    const info = await stat(full);
    if (info.isDirectory()) throw new InputError(`--file ${path} is a directory, not a file of tokens`);
    if (info.size > MAX_INPUT_BYTES) {
      throw new InputError(`--file ${path} is larger than ${MAX_INPUT_TEXT}: that is not a list of access tokens`);
    }
    return await readFile(full, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    throw new InputError(`cannot read --file ${path}: ${why}`, { cause: error });
  }
}

/** One token per non-blank line. */
function tokensOfLines(text: string, where: string): RawToken[] {
  const lines = text.split(/\r?\n/);
  const tokens: RawToken[] = [];
  lines.forEach((line, i) => {
    if (line.trim() !== '') tokens.push({ text: line, source: `${where} line ${i + 1}` });
  });
  if (tokens.length === 1 && tokens[0]) tokens[0].source = where === 'stdin' ? 'stdin' : tokens[0].source;
  return tokens;
}

/**
 * Collect the raw token texts in order: arguments (stdin where '-' stands), then --file. With no argument and no
 * --file, stdin is read when it is not a terminal.
 */
export async function readTokenInputs(args: readonly string[], sources: TokenSources, io: Io): Promise<RawToken[]> {
  const dashes = args.filter((a) => a === '-').length;
  if (dashes > 1) throw new UsageError("'-' (stdin) can be given only once");
  const useStdin = dashes === 1 || (args.length === 0 && sources.file === undefined && io.stdin.isTTY !== true);
  if (args.length === 0 && sources.file === undefined && !useStdin) {
    throw new UsageError(
      "no token given: pipe one in (… | mfa-audit token), pass '-' for stdin, a token, or --file PATH",
    );
  }
  const tokens: RawToken[] = [];
  let argumentNumber = 0;
  for (const arg of args) {
    argumentNumber++;
    if (arg === '-') {
      const text = await readStdin(io);
      const fromStdin = tokensOfLines(text, 'stdin');
      if (fromStdin.length === 0) throw new InputError('stdin is empty: no token to check');
      tokens.push(...fromStdin);
    } else {
      tokens.push({ text: arg, source: `argument ${argumentNumber}` });
    }
  }
  if (args.length === 0 && useStdin) {
    const fromStdin = tokensOfLines(await readStdin(io), 'stdin');
    if (fromStdin.length === 0) throw new InputError('stdin is empty: no token to check');
    tokens.push(...fromStdin);
  }
  if (sources.file !== undefined) {
    const fromFile = tokensOfLines(await readTokenFile(io, sources.file), sources.file);
    if (fromFile.length === 0) throw new InputError(`--file ${sources.file} holds no token (blank lines are skipped)`);
    tokens.push(...fromFile);
  }
  return tokens;
}

/** "token 2", or "token 3 (tokens.txt line 7)" when the position alone would not find it. */
function tokenLabel(position: number, source: string): string {
  return source.startsWith('argument ') ? `token ${position}` : `token ${position} (${source})`;
}

/** Decode every token before anything is audited: one bad token stops the run (no partial report). */
export function decodeTokens(raw: readonly RawToken[]): DecodedWithRaw[] {
  return raw.map((token, i) => ({ ...decodeToken(token.text, tokenLabel(i + 1, token.source)), source: token.source }));
}
