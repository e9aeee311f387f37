import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from './sleep.js';

describe('sleep', () => {
  it('leaves no abort listener on a long-lived signal once its timer has fired', async () => {
    const signal = new AbortController().signal;
    for (let i = 0; i < 100; i++) await sleep(0, signal);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('wakes at once when the signal aborts, and leaves no listener behind', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const sleeping = sleep(60_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('resolves at once when the signal has already aborted', async () => {
    const started = performance.now();
    await sleep(60_000, AbortSignal.abort());
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('sleep on several signals', () => {
  it('wakes when any of them aborts and leaves no listener on the others', async () => {
    const lifetime = new AbortController();
    const generation = new AbortController();
    const sleeping = sleep(60_000, lifetime.signal, generation.signal);
    generation.abort();
    await sleeping;
    expect(getEventListeners(lifetime.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(generation.signal, 'abort')).toHaveLength(0);
  });
});
