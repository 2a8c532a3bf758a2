/**
 * Runs the engine's computations in steps (generators, see planWhatIfInSteps) during a collection without holding
 * this thread's event loop for long: between slices of a few milliseconds, the answers of the requests in flight are
 * read and the next requests sent. A slice no longer than the requests' latency costs the collection nothing, as the
 * requests were in flight anyway; one long block would hold every slot until it ends.
 */
import { performance } from 'node:perf_hooks';

/** How long a slice runs at most before the event loop is let go (a step that is longer still ends first). */
const SLICE_MS = 8;

export async function runInSlices<T>(steps: Generator<void, T, void>, sliceMs = SLICE_MS): Promise<T> {
  for (;;) {
    const end = performance.now() + sliceMs;
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
      if (performance.now() >= end) break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
