/** What every reporter gets besides the result. */
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

/**
 * Where a report is written: a file, stdout, a string in a test. A write that returns a promise is waited for
 * before the next chunk is rendered, so a slow disk or pipe holds the reporter back instead of the text piling up
 * in memory.
 */
export interface ReportSink {
  write(chunk: string): void | Promise<void>;
}

/**
 * One format of one command. `write` renders the result and writes it to the sink, in one chunk or many (the
 * tenant JSON report of a 100,000-account tenant comes in chunks of about a megabyte); the text written ends with
 * a newline. The promise settles once the last chunk is written, or rejects with the first error.
 */
export interface ReportWriter<R> {
  write(sink: ReportSink, result: R, options: RenderOptions): Promise<void>;
}

/** A format rendered whole: from result to the whole text (wrapped into a ReportWriter by the registry). */
export type Reporter<R> = (result: R, options: RenderOptions) => string;
