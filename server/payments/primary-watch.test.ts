import type { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import { PrimaryWatch, type PrimaryWatchOptions } from './primary-watch.js';

/** A connection as the watch reads it: ready or not, the node its socket is connected to, and whether that node answers a PING. */
function connection(node: string, status = 'ready') {
  const [remoteAddress, remotePort] = node.split(':');
  const state = { frozen: false };
  const fake = {
    status,
    stream: { remoteAddress, remotePort: Number(remotePort) },
    ping: () => (state.frozen ? new Promise<string>(() => undefined) : Promise.resolve('PONG')),
  };
  return {
    redis: fake as unknown as Redis,
    set frozen(value: boolean) {
      state.frozen = value;
    },
    moveTo(to: string) {
      const [address, port] = to.split(':');
      fake.stream = { remoteAddress: address, remotePort: Number(port) };
    },
    set status(value: string) {
      fake.status = value;
    },
  };
}

const logger = createLogger('test', 'silent');
const A = '127.0.0.1:7001';

/** A watch on one connection, PINGed, that waits 10 ms for a PING's answer. */
const watchOne = (redis: Redis, options: Pick<PrimaryWatchOptions, 'seesWell'> & Partial<PrimaryWatchOptions>) =>
  new PrimaryWatch({ connections: [redis], pinged: [redis], logger, pingWithinMs: 10, ...options });
const B = '127.0.0.1:7002';

describe('PrimaryWatch', () => {
  it('trusts the primary until told to doubt it, then until a majority of the Sentinels see the node every connection serves from well', async () => {
    const [main, accept] = [connection(A), connection(A)];
    let sentinelsSeeWell = false;
    const asked: string[] = [];
    const onFailedOver = vi.fn();
    const watch = new PrimaryWatch({
      connections: [main.redis, accept.redis],
      pinged: [main.redis, accept.redis],
      seesWell: (node) => {
        asked.push(node);
        return Promise.resolve(sentinelsSeeWell);
      },
      logger,
      onFailedOver,
      recheckMs: 5,
    });
    expect(watch.trusted).toBe(true);
    watch.distrust('WAIT failed');
    expect(watch.trusted).toBe(false);
    await vi.waitFor(() => expect(asked.length).toBeGreaterThan(2));
    expect(watch.trusted).toBe(false);
    sentinelsSeeWell = true;
    await vi.waitFor(() => expect(watch.trusted).toBe(true));
    expect(new Set(asked)).toEqual(new Set([A]));
    // The same node: nothing was failed over.
    expect(onFailedOver).not.toHaveBeenCalled();
    watch.stop();
  });

  it('once every connection serves from a new primary the Sentinels vouch for, says when the doubt began', async () => {
    const [main, adapter] = [connection(A), connection(A)];
    const onFailedOver = vi.fn();
    const watch = new PrimaryWatch({
      connections: [main.redis, adapter.redis],
      pinged: [main.redis],
      seesWell: (node) => Promise.resolve(node === B),
      logger,
      onFailedOver,
      recheckMs: 5,
    });
    const before = performance.now();
    watch.distrust('the main connection was lost');
    main.moveTo(B);
    // One connection still on the old primary: still in doubt.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(watch.trusted).toBe(false);
    adapter.status = 'reconnecting';
    adapter.moveTo(B);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(watch.trusted).toBe(false);
    adapter.status = 'ready';
    await vi.waitFor(() => expect(watch.trusted).toBe(true));
    expect(onFailedOver).toHaveBeenCalledTimes(1);
    const [since] = onFailedOver.mock.calls[0] as [number];
    expect(since).toBeGreaterThanOrEqual(before);
    expect(since).toBeLessThanOrEqual(performance.now());
    watch.stop();
  });

  it('a doubt raised while the Sentinels are being asked is not ended by their answer', async () => {
    const main = connection(A);
    let answer: (well: boolean) => void = () => undefined;
    let asks = 0;
    const watch = watchOne(main.redis, {
      seesWell: () => {
        asks += 1;
        return new Promise<boolean>((resolve) => (answer = resolve));
      },
      recheckMs: 5,
    });
    watch.distrust('WAIT failed');
    await vi.waitFor(() => expect(asks).toBe(1));
    watch.distrust('WAIT answered after 3000 ms');
    answer(true);
    await vi.waitFor(() => expect(asks).toBe(2));
    expect(watch.trusted).toBe(false);
    answer(true);
    await vi.waitFor(() => expect(watch.trusted).toBe(true));
    watch.stop();
  });

  it('a Sentinel check that throws is asked again, and stopped, the watch asks no more', async () => {
    const main = connection(A);
    let asks = 0;
    const watch = watchOne(main.redis, {
      seesWell: () => {
        asks += 1;
        return Promise.reject(new Error('no Sentinel answered'));
      },
      recheckMs: 5,
    });
    watch.distrust('WAIT failed');
    await vi.waitFor(() => expect(asks).toBeGreaterThan(1));
    watch.stop();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const after = asks;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(asks).toBe(after);
    expect(watch.trusted).toBe(false);
  });

  it('a primary that does not answer a PING stays in doubt, though the Sentinels vouch for it (they do not think it down yet)', async () => {
    const main = connection(A);
    main.frozen = true;
    const watch = watchOne(main.redis, { seesWell: () => Promise.resolve(true), recheckMs: 5 });
    watch.distrust('WAIT failed');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(watch.trusted).toBe(false);
    main.frozen = false;
    await vi.waitFor(() => expect(watch.trusted).toBe(true));
    watch.stop();
  });

  it('while trusted, PINGs the connections, and doubts the primary once one goes unanswered', async () => {
    const main = connection(A);
    const watch = watchOne(main.redis, { seesWell: () => Promise.resolve(false), probeMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(watch.trusted).toBe(true);
    main.frozen = true;
    await vi.waitFor(() => expect(watch.trusted).toBe(false));
    watch.stop();
  });
});
