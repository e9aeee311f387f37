import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FetchPacer } from './fetch-pacer.js';

describe('FetchPacer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('holds the batches of one fetch until the interval that the first of them started has passed', async () => {
    const pacer = new FetchPacer(100, () => Date.now());
    const never = new AbortController().signal;
    const settled: string[] = [];
    void pacer.pace(never).then(() => settled.push('first'));
    await vi.advanceTimersByTimeAsync(30);
    void pacer.pace(never).then(() => settled.push('second, same fetch'));
    await vi.advanceTimersByTimeAsync(69);
    expect(settled).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toEqual(['first', 'second, same fetch']);
  });

  it('starts a new interval for a batch that arrives after the last one ended', async () => {
    const pacer = new FetchPacer(100, () => Date.now());
    const never = new AbortController().signal;
    await vi.advanceTimersByTimeAsync(0);
    const first = pacer.pace(never);
    await vi.advanceTimersByTimeAsync(100);
    await first;
    await vi.advanceTimersByTimeAsync(500);
    let settled = false;
    void pacer.pace(never).then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
  });

  it('lets a batch go at once when the consumer stops', async () => {
    const pacer = new FetchPacer(100, () => Date.now());
    const stopping = new AbortController();
    let settled = false;
    void pacer.pace(stopping.signal).then(() => (settled = true));
    stopping.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(true);
  });
});
