import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger.js';
import { retrying } from './retry-loop.js';

const logger = createLogger('test', 'silent');

afterEach(() => {
  vi.useRealTimers();
});

/** An attempt that fails with each of `errors` in turn, then succeeds; counts its calls. */
function failingWith(...errors: Error[]) {
  const calls = { count: 0 };
  const attempt = () => {
    const err = errors[calls.count++];
    return err === undefined ? Promise.resolve() : Promise.reject(err);
  };
  return { attempt, calls };
}

describe('retrying', () => {
  it('when the error carries the Retry-After a downstream asked for (2 s), the next attempt waits at least that long', async () => {
    vi.useFakeTimers();
    const { attempt, calls } = failingWith(Object.assign(new Error('HTTP 429'), { retryAfterMs: 2_000 }));
    const done = retrying(attempt, { signals: [], logger });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(calls.count).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(calls.count).toBe(2);
  });

  it('without a Retry-After, the next attempt follows the backoff: within 200 ms after the first failure', async () => {
    vi.useFakeTimers();
    const { attempt, calls } = failingWith(new Error('HTTP 503'));
    const done = retrying(attempt, { signals: [], logger });
    await vi.advanceTimersByTimeAsync(200);
    await done;
    expect(calls.count).toBe(2);
  });

  it('a wait asked for is cut short when the consumer stops, and no further attempt is made', async () => {
    vi.useFakeTimers();
    const stopping = new AbortController();
    const { attempt, calls } = failingWith(Object.assign(new Error('HTTP 429'), { retryAfterMs: 30_000 }));
    const done = retrying(attempt, { signals: [stopping.signal], logger });
    const rejected = expect(done).rejects.toThrow('HTTP 429');
    await vi.advanceTimersByTimeAsync(100);
    stopping.abort();
    await rejected;
    expect(calls.count).toBe(1);
  });
});
