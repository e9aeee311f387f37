import type { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { parseEnv } from '../../lib/env.js';
import { isPermanent } from '../../contracts/payflow-error.js';
import type { PrimaryWatch } from './primary-watch.js';
import { ReplicaConfirmation, replicaConfirmationEnvShape, replicaConfirmationSettings, replicated } from './replica-confirmation.js';

/** A connection whose WAITs answer only when the test says, recording what was asked. */
function fakeRedis() {
  const waits: Array<{ args: [number, number]; answer: (replicas: number) => void; fail: (err: Error) => void }> = [];
  const redis = {
    wait: (replicas: number, timeoutMs: number) =>
      new Promise<number>((answer, fail) => {
        waits.push({ args: [replicas, timeoutMs], answer, fail });
      }),
  } as unknown as Redis;
  return { redis, waits };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ReplicaConfirmation', () => {
  it('sends WAIT with the replicas and the timeout, and answers how many confirmed', async () => {
    const { redis, waits } = fakeRedis();
    const confirmed = new ReplicaConfirmation(redis, { replicas: 2, timeoutMs: 250 }).confirm();
    expect(waits.map((wait) => wait.args)).toEqual([[2, 250]]);
    waits[0]!.answer(1);
    expect(await confirmed).toBe(1);
  });

  it('keeps one WAIT in flight: callers that arrive meanwhile share the next one, sent once it answers', async () => {
    const { redis, waits } = fakeRedis();
    const confirmation = new ReplicaConfirmation(redis, { replicas: 1, timeoutMs: 250 });
    const first = confirmation.confirm();
    const later = [confirmation.confirm(), confirmation.confirm(), confirmation.confirm()];
    expect(waits).toHaveLength(1);
    waits[0]!.answer(1);
    await settle();
    expect(waits).toHaveLength(2);
    waits[1]!.answer(0);
    expect(await first).toBe(1);
    expect(await Promise.all(later)).toEqual([0, 0, 0]);
    // Nothing in flight: the next caller sends at once.
    void confirmation.confirm();
    expect(waits).toHaveLength(3);
  });

  it('sends the next WAIT after one that failed, and each caller hears its own', async () => {
    const { redis, waits } = fakeRedis();
    const confirmation = new ReplicaConfirmation(redis, { replicas: 1, timeoutMs: 250 });
    const first = confirmation.confirm();
    const second = confirmation.confirm();
    waits[0]!.fail(new Error('Command timed out'));
    await expect(first).rejects.toThrow('Command timed out');
    await settle();
    waits[1]!.answer(1);
    expect(await second).toBe(1);
  });
});

describe('replicated', () => {
  it('throws a retryable REDIS_NOT_REPLICATED naming what fell short, and passes once enough confirm', async () => {
    const { redis, waits } = fakeRedis();
    const confirmation = new ReplicaConfirmation(redis, { replicas: 2, timeoutMs: 250 });
    const short = replicated(confirmation, 'the snapshot PaymentSucceeded made');
    waits[0]!.answer(1);
    const err = await short.catch((error: unknown) => error);
    expect(err).toMatchObject({
      code: 'REDIS_NOT_REPLICATED',
      message: 'the snapshot PaymentSucceeded made reached 1 of the 2 Redis replica(s) asked for in time; trying again',
    });
    expect(isPermanent(err)).toBe(false);
    const enough = replicated(confirmation, 'the snapshot');
    await settle();
    waits[1]!.answer(2);
    await expect(enough).resolves.toBeUndefined();
  });
});

describe('replicaConfirmationSettings', () => {
  const read = (env: NodeJS.ProcessEnv) => ({ REDIS_URL: env['REDIS_URL']!, ...parseEnv(z.object(replicaConfirmationEnvShape), env) });

  it('waits for one replica through Sentinel and for none on one node, unless told', () => {
    expect(replicaConfirmationSettings(read({ REDIS_URL: 'redis+sentinel://127.0.0.1:26379/payflow' }))).toEqual({ replicas: 1, timeoutMs: 250 });
    expect(replicaConfirmationSettings(read({ REDIS_URL: 'redis://127.0.0.1:6379' }))).toEqual({ replicas: 0, timeoutMs: 250 });
    expect(replicaConfirmationSettings(read({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_WAIT_REPLICAS: '2', REDIS_WAIT_TIMEOUT_MS: '100' }))).toEqual({
      replicas: 2,
      timeoutMs: 100,
    });
  });

  it('refuses a wait longer than the command timeout, naming it', () => {
    expect(() => read({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_WAIT_TIMEOUT_MS: '3000' })).toThrow(
      'REDIS_WAIT_TIMEOUT_MS: must be at most 1500: the BFF gives up on a Redis command after 2 s',
    );
  });
});

describe('ReplicaConfirmation with a PrimaryWatch (through Sentinel)', () => {
  const watchSpy = (trusted = true) => {
    const reasons: string[] = [];
    const watch = {
      trusted,
      distrust: (reason: string) => {
        reasons.push(reason);
        watch.trusted = false;
      },
    };
    return { watch, reasons, asWatch: watch as unknown as PrimaryWatch };
  };

  it('a WAIT that fails puts the primary in doubt, and the failure is still thrown', async () => {
    const { redis, waits } = fakeRedis();
    const { reasons, asWatch } = watchSpy();
    const confirmed = new ReplicaConfirmation(redis, { replicas: 1, timeoutMs: 250 }, asWatch).confirm();
    waits[0]!.fail(new Error('Command timed out'));
    await expect(confirmed).rejects.toThrow('Command timed out');
    expect(reasons).toEqual(['WAIT failed: Command timed out']);
  });

  it('a WAIT answered a second past its own timeout puts the primary in doubt and counts no replica', async () => {
    const { redis, waits } = fakeRedis();
    const { reasons, asWatch } = watchSpy();
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const confirmed = new ReplicaConfirmation(redis, { replicas: 1, timeoutMs: 20 }, asWatch).confirm();
      vi.advanceTimersByTime(1_021);
      waits[0]!.answer(1);
      expect(await confirmed).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/^WAIT answered after \d+ ms$/);
  });

  it("a caller waiting behind another WAIT is timed from its own WAIT's sending: two slow WAITs in a row are no stall", async () => {
    const { redis, waits } = fakeRedis();
    const { reasons, asWatch } = watchSpy();
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const confirmation = new ReplicaConfirmation(redis, { replicas: 1, timeoutMs: 250 }, asWatch);
      const first = confirmation.confirm();
      const second = confirmation.confirm();
      vi.advanceTimersByTime(1_000);
      waits[0]!.answer(1);
      await first;
      await settle();
      vi.advanceTimersByTime(1_000);
      waits[1]!.answer(1);
      expect(await second).toBe(1);
      expect(reasons).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('while the primary is in doubt a WAIT that every replica answered counts none; trusted, it counts them', async () => {
    const { redis, waits } = fakeRedis();
    const { watch, asWatch } = watchSpy(false);
    const confirmation = new ReplicaConfirmation(redis, { replicas: 1, timeoutMs: 250 }, asWatch);
    const inDoubt = confirmation.confirm();
    waits[0]!.answer(1);
    expect(await inDoubt).toBe(0);
    watch.trusted = true;
    const trusted = confirmation.confirm();
    waits[1]!.answer(1);
    expect(await trusted).toBe(1);
  });
});
