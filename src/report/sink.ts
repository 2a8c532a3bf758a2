import { once } from 'node:events';
import type { ReportSink } from './types.js';

/**
 * A Node stream (stdout, a file stream) as a report sink: a write the stream cannot buffer any more waits for
 * 'drain', so a large report is rendered only as fast as it is written. An 'error' while waiting rejects.
 */
export function writableSink(stream: NodeJS.WritableStream): ReportSink {
  return {
    write(chunk) {
      if (stream.write(chunk)) return undefined;
      return once(stream, 'drain').then(() => undefined);
    },
  };
}
