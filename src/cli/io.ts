import type { Readable, Writable } from 'node:stream';

/**
 * Everything a command may touch of the process, handed in by `src/cli.ts` (the only module that reads
 * `process`). Tests pass their own streams, environment and clock.
 */
export interface Io {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** The current instant; commands never call Date.now() themselves. */
  now: () => Date;
}

/** Options every command accepts (see the contract: common options). */
export interface CommonOptions {
  format?: string;
  output?: string;
  quiet?: boolean;
  /** commander turns `--no-color` into `color: false`. */
  color?: boolean;
  verbose?: boolean;
}

/** Colour only for people: a TTY, no NO_COLOR, no --no-color, and FORCE_COLOR can turn it on. */
export function wantsColor(io: Io, options: CommonOptions, stream: { isTTY?: boolean } = io.stdout): boolean {
  if (options.color === false) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && io.env.TERM !== 'dumb';
}

/** Progress and notes for people go to stderr, and only when stderr is a terminal and not --quiet. */
export function progress(io: Io, options: CommonOptions): (line: string) => void {
  if (options.quiet || io.stderr.isTTY !== true) return () => {};
  return (line: string) => {
    io.stderr.write(line + '\n');
  };
}
