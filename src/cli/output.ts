import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open, rename, rm } from 'node:fs/promises';
import { statSync, write } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import type { ReportSink } from '../report/types.js';
import type { CommonOptions } from './io.js';
import type { Destination } from './paths.js';
import { destinationOf, fileIdentity, makeDirectories, ownDescriptor, removeMadeDirectories } from './paths.js';

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

/**
 * Options that may carry the ordered --format/--output flags (several pairs in one run), and the other files a run
 * reads or writes: no output may be one of its inputs, nor another output.
 */
export interface OutputOptions extends CommonOptions {
  outputFlags?: OutputFlag[];
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  snapshot?: string;
  saveSnapshot?: string;
  file?: string;
  jwks?: string;
  certificate?: string;
  refreshTokenFile?: string;
  federatedTokenFile?: string;
  serviceAccounts?: string;
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
    '.html': 'html',
    '.htm': 'html',
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
  checkOutputPaths(io, options, targets);
  return targets;
}

/**
 * The same checks on the flags as given, before the config file is read: `--config X --output X` is refused before
 * X is opened. (planOutputs checks again once the config has added its outputs.)
 */
export function checkGivenOutputs(io: Io, options: OutputOptions): void {
  const paths = options.outputFlags?.filter((f) => f.flag === 'output').map((f) => f.value) ?? [];
  if (paths.length === 0 && options.output !== undefined) paths.push(options.output);
  checkOutputPaths(
    io,
    options,
    paths.map((path) => ({ format: 'json', path })),
  );
}

/** One file the run reads or writes, as given. */
interface RunFile {
  flag: string;
  path: string;
}

/** The config read by default when no --config is given (src/input/config.ts). */
const DEFAULT_CONFIG_FILE = 'mfa-audit.config.json';

/** The files the run will read: every one is read whole before anything is written, but none may be an output. */
function runInputs(io: Io, options: OutputOptions): RunFile[] {
  const isFile = (path: string): boolean => {
    try {
      return statSync(resolve(io.cwd, path)).isFile();
    } catch {
      return false;
    }
  };
  const inputs: [string, string | undefined][] = [
    ['--config', options.config ?? (isFile(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined)],
    ['--baseline', options.baseline],
    ['--snapshot', options.snapshot],
    ['--file', options.file],
    ['--jwks', options.jwks !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(options.jwks) ? undefined : options.jwks],
    ['--certificate', options.certificate],
    ['--refresh-token-file', options.refreshTokenFile],
    ['--federated-token-file', options.federatedTokenFile],
    // A pattern unless a file of that name exists.
    [
      '--service-accounts',
      options.serviceAccounts !== undefined && isFile(options.serviceAccounts) ? options.serviceAccounts : undefined,
    ],
  ];
  return inputs.flatMap(([flag, path]) => (path === undefined || path === '' ? [] : [{ flag, path }]));
}

/**
 * Every output (reports, --write-baseline, --save-snapshot) must be a file the run may write: not a directory, not
 * a path that cannot be followed, not an input of the run, not another output — links resolved, so two names of one
 * file are one file. All of this before anything is read. Character devices (/dev/null, a terminal) are exempt from
 * the comparisons: writing one twice, or reading and writing one, harms nothing. `--baseline F --write-baseline F`
 * refreshes a baseline: it is read whole first and replaced atomically.
 */
function checkOutputPaths(io: Io, options: OutputOptions, targets: readonly OutputTarget[]): void {
  const outputs: RunFile[] = [
    ...targets.flatMap((t) => (t.path === undefined ? [] : [{ flag: '--output', path: t.path }])),
    ...(options.writeBaseline !== undefined ? [{ flag: '--write-baseline', path: options.writeBaseline }] : []),
    ...(options.saveSnapshot !== undefined ? [{ flag: '--save-snapshot', path: options.saveSnapshot }] : []),
  ];
  const identities = new Map<string, RunFile>();
  for (const input of runInputs(io, options)) {
    const identity = fileIdentity(resolve(io.cwd, input.path));
    if (identity !== undefined && !identities.has(identity)) identities.set(identity, input);
  }
  const written = new Map<string, RunFile>();
  for (const output of outputs) {
    if (output.path.trim() === '') throw new UsageError(`${output.flag} needs a file name`);
    try {
      destinationOf(resolve(io.cwd, output.path));
    } catch (error) {
      throw new UsageError(`${output.flag} ${output.path}: cannot write (${(error as Error).message})`, {
        cause: error,
      });
    }
    const identity = fileIdentity(resolve(io.cwd, output.path));
    if (identity === undefined) continue;
    const input = identities.get(identity);
    if (input && !(input.flag === '--baseline' && output.flag === '--write-baseline')) {
      throw new UsageError(
        `${output.flag} ${output.path} and ${input.flag} ${input.path} are the same file: ` +
          'a run never writes over its own input',
      );
    }
    const other = written.get(identity);
    if (other && other.flag === '--output' && output.flag === '--output') {
      throw new UsageError(`--output ${output.path} is given twice; each report needs its own file`);
    }
    if (other) {
      throw new UsageError(
        `${output.flag} ${output.path} and ${other.flag} ${other.path} are the same file; each output needs its own file`,
      );
    }
    written.set(identity, output);
  }
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

/** A report ready to take its place: `commit` renames it into place (or writes it through), `discard` drops it. */
export interface StagedReport {
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Write a whole report to a file or stdout, and wait until it is written. A file is written under a temporary name
 * and renamed, so nobody ever reads half a report; stdout waits for the flush, so a pipe never gets half of it.
 * The text ends with a newline either way. `flag` names the output in errors (`--write-baseline`, `--save-snapshot`).
 */
export async function writeReport(io: Io, body: ReportBody, outputPath?: string, flag = '--output'): Promise<void> {
  if (outputPath) {
    const staged = await stageReport(io, body, outputPath, flag);
    await staged.commit();
    return;
  }
  await writeToStdout(io, body);
}

function cannotWrite(flag: string, outputPath: string, error: unknown): UsageError {
  return new UsageError(`${flag} ${outputPath}: cannot write (${(error as Error).message})`, { cause: error });
}

/**
 * Writes a report under a temporary name beside the file `outputPath` names, links followed (chunk by chunk when it
 * comes in chunks), so several reports can all be written before any of them takes its final name. A device, a FIFO
 * or /dev/fd/N is written through instead, at commit (src/cli/paths.ts). No error leaves a file behind.
 */
export async function stageReport(
  io: Io,
  body: ReportBody,
  outputPath: string,
  flag = '--output',
): Promise<StagedReport> {
  let destination: Destination;
  try {
    destination = destinationOf(resolve(io.cwd, outputPath));
  } catch (error) {
    throw cannotWrite(flag, outputPath, error);
  }
  if (destination.kind === 'through') {
    const { path } = destination;
    return {
      commit: () =>
        writeThrough(path, body).catch((error: unknown) => Promise.reject(cannotWrite(flag, outputPath, error))),
      discard: () => Promise.resolve(),
    };
  }
  const { path, mode } = destination;
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const fail = async (error: unknown): Promise<never> => {
    await rm(temporary, { force: true }).catch(() => {});
    await removeMadeDirectories();
    throw cannotWrite(flag, outputPath, error);
  };
  try {
    await makeDirectories(dirname(path));
    // 'wx': never through a link or a file someone placed under the temporary name.
    const file = await open(temporary, 'wx', mode ?? 0o666);
    try {
      if (mode !== undefined) await file.chmod(mode);
      await writeBody(handleSink(file), body);
    } finally {
      await file.close();
    }
  } catch (error) {
    return fail(error);
  }
  return {
    commit: () => rename(temporary, path).catch(fail),
    discard: async () => {
      await rm(temporary, { force: true }).catch(() => {});
      await removeMadeDirectories();
    },
  };
}

/**
 * A device, a FIFO, /dev/fd/N: written as they are. A descriptor of this process (/dev/fd/N, /dev/stdout) is written
 * to directly, at its own offset and mode, and left open: it may be a socket, which cannot be opened by name. A
 * reader that went away has what it wanted.
 */
async function writeThrough(path: string, body: ReportBody): Promise<void> {
  const descriptor = ownDescriptor(path);
  const file = descriptor === undefined ? await open(path, 'w') : undefined;
  try {
    await writeBody(file ? handleSink(file) : descriptorSink(descriptor as number), body);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
  } finally {
    await file?.close();
  }
}

/** Writes bytes from `offset` on, and says how many were taken. */
type ByteSink = (bytes: Buffer, offset: number) => Promise<number>;

function handleSink(file: FileHandle): ByteSink {
  return async (bytes, offset) => (await file.write(bytes, offset, bytes.length - offset, null)).bytesWritten;
}

/** A descriptor the process was given may be non-blocking (a socket): when it is full, wait and write again. */
function descriptorSink(descriptor: number): ByteSink {
  return (bytes, offset) =>
    new Promise((done, fail) => {
      const attempt = (): void =>
        write(descriptor, bytes, offset, bytes.length - offset, null, (error, written) => {
          if (error?.code === 'EAGAIN') setTimeout(attempt, 5);
          else if (error) fail(error);
          else done(written);
        });
      attempt();
    });
}

async function writeBody(sink: ByteSink, body: ReportBody): Promise<void> {
  if (typeof body === 'string') await writeAll(sink, Buffer.from(body.endsWith('\n') ? body : body + '\n', 'utf8'));
  else await writeChunks(sink, asWriter(body));
}

/**
 * One write in flight while the next chunk is rendered: a sink write returns once the previous chunk is on disk,
 * so rendering and disk overlap but never run more than one chunk apart.
 */
async function writeChunks(sink: ByteSink, write: (sink: ReportSink) => Promise<void>): Promise<void> {
  let writing: Promise<void> = Promise.resolve();
  let last = '\n';
  try {
    await write({
      write(chunk) {
        if (chunk.length === 0) return undefined;
        const bytes = Buffer.from(chunk, 'utf8');
        last = chunk;
        const previous = writing;
        writing = previous.then(() => writeAll(sink, bytes));
        return previous;
      },
    });
    if (!last.endsWith('\n')) writing = writing.then(() => writeAll(sink, Buffer.from('\n')));
  } finally {
    await writing.catch(() => {});
  }
  await writing;
}

/** A write may take only part of the buffer: write the rest until all of it is written. */
async function writeAll(sink: ByteSink, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const written = await sink(bytes, offset);
    if (written <= 0) throw new Error('the disk took no bytes');
    offset += written;
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
