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

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Why a time without a zone is refused, and how a date alone is read: the rule of baseline expiry dates. */
export const TIME_ZONE_RULE =
  'add Z or an offset (e.g. 2026-11-21T09:30:00Z or 2026-11-21T10:30:00+01:00); a date alone is read as ' +
  'midnight UTC, as baseline expiry dates are';

/**
 * An ISO-8601 instant, by the rule of baseline expiry dates: a date alone (2026-11-21) is midnight UTC; a date-time
 * carries a time zone (2026-11-21T09:30:00Z, …+01:00), so a laptop and a CI runner read it alike. Surrounding
 * blanks are ignored; dates that do not exist (2026-02-30) and everything else are undefined.
 */
export function parseInstant(text: string): Date | undefined {
  const value = text.trim();
  const date = DATE_ONLY.exec(value) ?? WITH_ZONE.exec(value);
  if (!date) return undefined;
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  const midnight = new Date(Date.UTC(year, month - 1, day));
  if (midnight.getUTCFullYear() !== year || midnight.getUTCMonth() !== month - 1 || midnight.getUTCDate() !== day) {
    return undefined;
  }
  const instant = DATE_ONLY.test(value) ? midnight : new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

/** A date and a time of day without a time zone (2026-11-21T09:30): read in local time by Date, so refused. */
export function lacksTimeZone(text: string): boolean {
  return WITHOUT_ZONE.test(text.trim());
}

/**
 * The instant a run evaluates at: `--now` when given (see parseInstant), else the clock. Anything else is a usage
 * error (exit 2), never an Invalid Date.
 */
export function parseNow(value: string | undefined, io: Pick<Io, 'now'>): Date {
  if (value === undefined) return io.now();
  const instant = parseInstant(value);
  if (instant === undefined) {
    if (lacksTimeZone(value)) throw new UsageError(`--now '${value}' has no time zone: ${TIME_ZONE_RULE}`);
    throw new UsageError(`--now '${value}' is not an ISO-8601 date-time (e.g. 2026-11-21T09:30:00Z)`);
  }
  return instant;
}
