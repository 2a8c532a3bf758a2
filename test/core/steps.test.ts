/** toEnd (src/core/steps.ts): a computation in steps, run to its end at once. */
import { describe, expect, it } from 'vitest';
import { toEnd } from '../../src/core/steps.js';

describe('toEnd', () => {
  it('runs every step and returns the value', () => {
    const ran: number[] = [];
    function* counting(): Generator<void, string, void> {
      for (let i = 0; i < 3; i++) {
        ran.push(i);
        yield;
      }
      return 'done';
    }
    expect(toEnd(counting())).toBe('done');
    expect(ran).toEqual([0, 1, 2]);
  });
  it('passes a step that throws to the caller', () => {
    function* failing(): Generator<void, never, void> {
      yield;
      throw new Error('the engine failed');
    }
    expect(() => toEnd(failing())).toThrow('the engine failed');
  });
});
