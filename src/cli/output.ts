import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { CommonOptions, Io } from './io.js';

/** The format used when none is asked for: a table for a person at a terminal, JSON for a pipe or a file. */
export function defaultFormat(io: Io, options: CommonOptions): string {
  if (options.output) return 'json';
  return io.stdout.isTTY === true ? 'table' : 'json';
}

export function chooseFormat<T extends string>(io: Io, options: CommonOptions, known: readonly T[]): T {
  const format = (options.format ?? defaultFormat(io, options)) as T;
  if (!known.includes(format)) {
    throw new UsageError(`unknown format '${format}' (expected one of: ${known.join(', ')})`);
  }
  return format;
}

/** Write a whole report to --output or stdout, and wait until it is flushed, so a pipe never gets half of it. */
export async function writeReport(io: Io, text: string, outputPath?: string): Promise<void> {
  const body = text.endsWith('\n') ? text : text + '\n';
  if (outputPath) {
    const path = resolve(io.cwd, outputPath);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body, 'utf8');
    return;
  }
  await new Promise<void>((done, fail) => {
    io.stdout.write(body, (error) => (error ? fail(error) : done()));
  });
}
