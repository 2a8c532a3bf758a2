/**
 * Computations in steps: generators whose `yield` marks a point where a caller may let other work run (the collector
 * reads the answers of its requests in flight there; see src/graph/time-slices.ts). Pure: a step is plain code.
 */

/** The value of a computation in steps, run to its end at once. */
export function toEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
