import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixKafkajsRequestQueue, kafkajsRequestQueue, type RequestQueueInternals } from './kafkajs-request-queue-fix.js';

type QueueConstructor = new (options: Record<string, unknown>) => RequestQueueInternals & { destroy(): void };

function newQueue(): RequestQueueInternals & { destroy(): void } {
  const RequestQueue = kafkajsRequestQueue() as unknown as QueueConstructor;
  const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  return new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 1_000, enforceRequestTimeout: true, clientId: 'test', broker: 'b:1', logger });
}

afterEach(() => vi.useRealTimers());

describe("kafkajs' request queue", () => {
  it('arms no timer when nothing waits and nothing is throttled (kafkajs alone loops every millisecond)', () => {
    fixKafkajsRequestQueue();
    vi.useFakeTimers();
    const queue = newQueue();
    const check = vi.spyOn(queue, 'checkPendingRequests');
    queue.checkPendingRequests();
    vi.advanceTimersByTime(1_000);
    expect(check).toHaveBeenCalledTimes(1);
    expect(queue.throttleCheckTimeoutId).toBeNull();
    queue.destroy();
  });

  it('still checks a waiting request when the throttle ends', () => {
    fixKafkajsRequestQueue();
    vi.useFakeTimers();
    const queue = newQueue();
    queue.throttledUntil = Date.now() + 500;
    queue.pending.push({});
    const check = vi.spyOn(queue, 'checkPendingRequests').mockImplementation(() => {});
    queue.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(499);
    expect(check).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(check).toHaveBeenCalledTimes(1);
    queue.destroy();
  });

  it('checks a request held by the in-flight limit again after 10 ms, as kafkajs does', () => {
    fixKafkajsRequestQueue();
    vi.useFakeTimers();
    const queue = newQueue();
    queue.pending.push({});
    const check = vi.spyOn(queue, 'checkPendingRequests').mockImplementation(() => {});
    queue.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(10);
    expect(check).toHaveBeenCalledTimes(1);
    queue.destroy();
  });
});
