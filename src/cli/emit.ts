import type { Reporter } from '../report/types.js';
import type { CommonOptions, Io } from './io.js';
import { wantsColor } from './io.js';
import { chooseFormat, writeReport } from './output.js';

/**
 * Render a result in the requested format(s) and write each report whole, to --output or stdout.
 * Both commands go through here, so adding formats or several --format/--output pairs happens in one place.
 */
export async function emitReports<R>(
  io: Io,
  options: CommonOptions,
  reporters: Record<string, () => Promise<Reporter<R>>>,
  result: R,
  now: Date,
): Promise<void> {
  const format = chooseFormat(io, options, Object.keys(reporters));
  const load = reporters[format];
  if (!load) return;
  const render = await load();
  const toFile = options.output !== undefined;
  const text = render(result, {
    // Machine formats never carry colour; a file never does either.
    color: format === 'table' && !toFile && wantsColor(io, options),
    verbose: options.verbose === true,
    now,
    width: (io.stdout as { columns?: number }).columns,
  });
  await writeReport(io, text, options.output);
}
