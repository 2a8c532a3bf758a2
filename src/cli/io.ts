import type { Io } from '../io.js';

export type { Io } from '../io.js';

/** Options every command accepts: where and how the report is shown. */
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
