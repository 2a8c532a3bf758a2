/** The Pacer's slots (src/graph/resilience.ts): background requests take only the slots no other request waits for. */
import { describe, expect, it } from 'vitest';
import { newStats, Pacer } from '../../src/graph/resilience.js';
import { settingsFromEnv } from '../../src/graph/settings.js';

describe('background requests', () => {
  it('take a free slot, wait behind every other request for a busy one, and never exceed the slots', async () => {
    const stats = newStats();
    const pacer = new Pacer(settingsFromEnv({}, { concurrency: 2 }), stats);
    const order: string[] = [];
    const take = (name: string, background: boolean) => pacer.acquire(background).then(() => void order.push(name));
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    await take('background 1', true);
    await take('first', false);
    const waiting = [take('background 2', true), take('second', false), take('third', false)];
    await settle();
    expect(order).toEqual(['background 1', 'first']);
    pacer.release();
    await settle();
    pacer.release();
    await settle();
    expect(order).toEqual(['background 1', 'first', 'second', 'third']);
    pacer.release();
    await Promise.all(waiting);
    expect(order.at(-1)).toBe('background 2');
    expect(stats.maxInFlight).toBe(2);
  });

  it('waits while another request waits, even with a slot about to be handed over', async () => {
    const pacer = new Pacer(settingsFromEnv({}, { concurrency: 1 }), newStats());
    await pacer.acquire();
    let foreground = false;
    let background = false;
    void pacer.acquire().then(() => (foreground = true));
    void pacer.acquire(true).then(() => (background = true));
    pacer.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect([foreground, background]).toEqual([true, false]);
    pacer.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(background).toBe(true);
  });
});
