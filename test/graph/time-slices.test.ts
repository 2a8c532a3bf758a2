/** runInSlices (src/graph/time-slices.ts): the engine's steps run between the event loop's other work. */
import { describe, expect, it } from 'vitest';
import { runInSlices } from '../../src/graph/time-slices.js';

/** Steps that each busy-wait `ms` milliseconds, `count` of them, then return `value`. */
function* busySteps<T>(count: number, ms: number, value: T): Generator<void, T, void> {
  for (let i = 0; i < count; i++) {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // (busy: what an engine step does to the event loop)
    }
    yield;
  }
  return value;
}

describe('runInSlices', () => {
  it('returns the value the steps return', async () => {
    await expect(runInSlices(busySteps(3, 0, 'plan'))).resolves.toBe('plan');
    await expect(runInSlices(busySteps(0, 0, 42))).resolves.toBe(42);
  });

  it('lets the event loop run between slices, so answers arriving meanwhile are read', async () => {
    // 40 steps of 2 ms (80 ms in all) in slices of 8 ms: a timer due every millisecond fires in between.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = performance.now();
    await runInSlices(busySteps(40, 2, undefined), 8);
    clearInterval(timer);
    expect(performance.now() - started).toBeGreaterThanOrEqual(80);
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('never cuts a step: one longer than a slice runs whole', async () => {
    let ticks = 0;
    let ticksDuringStep = -1;
    const timer = setInterval(() => ticks++, 1);
    function* oneLongStep(): Generator<void, void, void> {
      const end = performance.now() + 30;
      while (performance.now() < end) {
        // (busy)
      }
      ticksDuringStep = ticks;
      yield;
    }
    await runInSlices(oneLongStep(), 8);
    clearInterval(timer);
    expect(ticksDuringStep).toBe(0);
  });
});
