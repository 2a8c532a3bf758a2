/** What every reporter gets besides the result: reporters are pure functions from result to text. */
export interface RenderOptions {
  /** ANSI colours (table only; machine formats never carry them). */
  color: boolean;
  /** List every account/check, not only the interesting ones. */
  verbose: boolean;
  /** The instant the run is evaluated at, for relative times ("expired 3 h ago"). */
  now: Date;
  /** Terminal width for tables, when known. */
  width?: number;
}

export type Reporter<R> = (result: R, options: RenderOptions) => string;
