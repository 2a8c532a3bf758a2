import { PassThrough, Readable } from 'node:stream';
import type { Io } from '../../src/cli/io.js';

export interface MemoryIo extends Io {
  out(): string;
  err(): string;
}

/** An Io over memory streams: stdin from `input` (empty when undefined), stdout/stderr captured. */
export function memoryIo(
  options: { input?: string; env?: Record<string, string>; now?: Date; tty?: boolean; cwd?: string } = {},
): MemoryIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const stdin = Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]) as Io['stdin'];
  if (options.input === undefined) stdin.isTTY = true;
  (stdout as Io['stdout']).isTTY = options.tty ?? false;
  (stderr as Io['stderr']).isTTY = options.tty ?? false;
  return {
    stdin,
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    now: () => options.now ?? new Date('2026-11-21T12:00:00Z'),
    out: () => out,
    err: () => err,
  };
}
