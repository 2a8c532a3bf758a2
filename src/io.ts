/**
 * What every layer may be handed of the process: the streams, the environment, the working directory and the
 * clock. Only `src/cli.ts` reads `process`; tests pass their own. It imports only `errors.ts`, so any layer may
 * use it.
 */
import type { Readable, Writable } from 'node:stream';
import { UsageError } from './errors.js';

export interface Io {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** The current instant; commands never call Date.now() themselves. */
  now: () => Date;
}

/** A command's action reports its exit code here (0 pass, 1 fail, 3 incomplete). */
export interface ExitSink {
  code: number;
}

/** Progress and notes for people go to stderr, and only when stderr is a terminal and the run is not quiet. */
export function progress(io: Io, quiet: boolean | undefined): (line: string) => void {
  if (quiet || io.stderr.isTTY !== true) return () => {};
  return (line: string) => {
    io.stderr.write(line + '\n');
  };
}

/** An ISO-8601 date or date-time (2026-11-21, 2026-11-21T09:30:00Z), surrounding blanks ignored; else undefined. */
export function parseInstant(text: string): Date | undefined {
  const value = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

/**
 * The instant a run evaluates at: `--now` when given (see parseInstant), else the clock. Anything else is a usage
 * error (exit 2), never an Invalid Date.
 */
export function parseNow(value: string | undefined, io: Pick<Io, 'now'>): Date {
  if (value === undefined) return io.now();
  const instant = parseInstant(value);
  if (instant === undefined) {
    throw new UsageError(`--now '${value}' is not an ISO-8601 date-time (e.g. 2026-11-21T09:30:00Z)`);
  }
  return instant;
}
