import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import type { ReportSink } from '../report/types.js';
import type { CommonOptions } from './io.js';

/** One `--format`/`--output` as given, in command-line order (collected by src/cli/common-options.ts). */
export interface OutputFlag {
  flag: 'format' | 'output';
  value: string;
}

/** One report to write: a format, and a file (undefined = stdout). */
export interface OutputTarget {
  format: string;
  path?: string;
}

/** Options that may carry the ordered --format/--output flags (several pairs in one run). */
export interface OutputOptions extends CommonOptions {
  outputFlags?: OutputFlag[];
}

/** The format used when none is asked for: a table for a person at a terminal, JSON for a pipe or a file. */
function defaultFormat(io: Io, options: CommonOptions): string {
  if (options.output) return formatForPath(options.output) ?? 'json';
  return io.stdout.isTTY === true ? 'table' : 'json';
}

/** `--output report.sarif` alone means SARIF: the extension names the format when no --format does. */
function formatForPath(path: string): string | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.sarif') || lower.endsWith('.sarif.json')) return 'sarif';
  const byExtension: Record<string, string> = {
    '.json': 'json',
    '.xml': 'junit',
    '.csv': 'csv',
    '.md': 'markdown',
    '.markdown': 'markdown',
    '.txt': 'table',
  };
  return byExtension[extname(lower)];
}

/**
 * Pairs the --format and --output flags in command-line order: each --output takes the --format just before it;
 * an --output with no --format before it takes the format its extension names (else json); a --format no --output
 * follows goes to stdout. One --format and one --output pair up in either order. With neither, one report goes to
 * stdout in the default format. At most one report may go to stdout, and no file may be written twice.
 */
export function planOutputs(io: Io, options: OutputOptions, known: readonly string[]): OutputTarget[] {
  const flags: OutputFlag[] =
    options.outputFlags && options.outputFlags.length > 0
      ? options.outputFlags
      : [
          ...(options.format !== undefined ? [{ flag: 'format' as const, value: options.format }] : []),
          ...(options.output !== undefined ? [{ flag: 'output' as const, value: options.output }] : []),
        ];
  const formats = flags.filter((f) => f.flag === 'format');
  const outputs = flags.filter((f) => f.flag === 'output');
  const targets: OutputTarget[] = [];
  if (formats.length === 1 && outputs.length === 1) {
    targets.push({ format: (formats[0] as OutputFlag).value, path: (outputs[0] as OutputFlag).value });
  } else {
    let pending: string | undefined;
    for (const { flag, value } of flags) {
      if (flag === 'format') {
        if (pending !== undefined) targets.push({ format: pending });
        pending = value;
      } else {
        targets.push({ format: pending ?? formatForPath(value) ?? 'json', path: value });
        pending = undefined;
      }
    }
    if (pending !== undefined) targets.push({ format: pending });
  }
  if (targets.length === 0) targets.push({ format: defaultFormat(io, options) });

  for (const target of targets) {
    if (!known.includes(target.format)) {
      throw new UsageError(`unknown format '${target.format}' (expected one of: ${known.join(', ')})`);
    }
    if (target.path !== undefined && target.path.trim() === '') throw new UsageError('--output needs a file name');
  }
  const toStdout = targets.filter((target) => target.path === undefined);
  if (toStdout.length > 1) {
    throw new UsageError(
      `only one report can go to stdout, but ${toStdout.map((t) => t.format).join(' and ')} have no --output; ` +
        'give each of the others an --output FILE',
    );
  }
  const seen = new Set<string>();
  for (const target of targets) {
    if (target.path === undefined) continue;
    const path = resolve(io.cwd, target.path);
    if (seen.has(path)) throw new UsageError(`--output ${target.path} is given twice; each report needs its own file`);
    seen.add(path);
  }
  return targets;
}

/**
 * A report's text: one string, chunks rendered as they are written, or a reporter writing to a sink (each write
 * waited for before the next chunk is rendered, so a 100,000-account JSON report never sits whole in memory).
 */
export type ReportBody = string | Iterable<string> | ((sink: ReportSink) => Promise<void>);

/** The body as a writer to a sink. */
function asWriter(body: Exclude<ReportBody, string>): (sink: ReportSink) => Promise<void> {
  if (typeof body === 'function') return body;
  return async (sink) => {
    for (const chunk of body) await sink.write(chunk);
  };
}

/** A file written under a temporary name: `commit` renames it into place, `discard` removes it. */
export interface StagedReport {
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Write a whole report to a file or stdout, and wait until it is written. A file is written under a temporary name
 * and renamed, so nobody ever reads half a report; stdout waits for the flush, so a pipe never gets half of it.
 * The text ends with a newline either way.
 */
export async function writeReport(io: Io, body: ReportBody, outputPath?: string): Promise<void> {
  if (outputPath) {
    const staged = await stageReport(io, body, outputPath);
    await staged.commit();
    return;
  }
  await writeToStdout(io, body);
}

/**
 * Writes a report under a temporary name next to `outputPath` (chunk by chunk when it comes in chunks), so several
 * reports can all be written before any of them takes its final name.
 */
export async function stageReport(io: Io, body: ReportBody, outputPath: string): Promise<StagedReport> {
  const path = resolve(io.cwd, outputPath);
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const fail = async (error: unknown): Promise<never> => {
    await rm(temporary, { force: true }).catch(() => {});
    throw new UsageError(`--output ${outputPath}: cannot write (${(error as Error).message})`, { cause: error });
  };
  try {
    await mkdir(dirname(path), { recursive: true });
    if (typeof body === 'string') await writeFile(temporary, body.endsWith('\n') ? body : body + '\n', 'utf8');
    else await writeChunksToFile(temporary, asWriter(body));
  } catch (error) {
    return fail(error);
  }
  return {
    commit: () => rename(temporary, path).catch(fail),
    discard: () => rm(temporary, { force: true }).catch(() => {}),
  };
}

/**
 * One write in flight while the next chunk is rendered: a sink write returns once the previous chunk is on disk,
 * so rendering and disk overlap but never run more than one chunk apart.
 */
async function writeChunksToFile(path: string, write: (sink: ReportSink) => Promise<void>): Promise<void> {
  const file = await open(path, 'w');
  let writing: Promise<void> = Promise.resolve();
  let last = '\n';
  try {
    try {
      await write({
        write(chunk) {
          if (chunk.length === 0) return undefined;
          const bytes = Buffer.from(chunk, 'utf8');
          last = chunk;
          const previous = writing;
          writing = previous.then(() => writeAll(file, bytes));
          return previous;
        },
      });
      if (!last.endsWith('\n')) writing = writing.then(() => writeAll(file, Buffer.from('\n')));
    } finally {
      await writing.catch(() => {});
    }
    await writing;
  } finally {
    await file.close();
  }
}

/** A write may take only part of the buffer: write the rest until all of it is written. */
async function writeAll(file: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await file.write(bytes, offset, bytes.length - offset, null);
    if (bytesWritten <= 0) throw new Error('the disk took no bytes');
    offset += bytesWritten;
  }
}

async function writeToStdout(io: Io, body: ReportBody): Promise<void> {
  // The reader went away (`| head`): what it wanted, it has; that is not our error, and the rest is not written.
  let closed = false;
  const write = (text: string): Promise<void> =>
    new Promise<void>((done, fail) => {
      if (closed) return done();
      io.stdout.write(text, (error) => {
        if (!error) done();
        else if ((error as NodeJS.ErrnoException).code === 'EPIPE') {
          closed = true;
          done();
        } else fail(error);
      });
    });
  if (typeof body === 'string') {
    await write(body.endsWith('\n') ? body : body + '\n');
    return;
  }
  let last = '\n';
  await asWriter(body)({
    write(chunk) {
      if (chunk.length === 0 || closed) return undefined;
      last = chunk;
      return write(chunk);
    },
  });
  if (!last.endsWith('\n')) await write('\n');
}
