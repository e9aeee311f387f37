import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { OpsMove } from '../../contracts/index.js';
import { OpsBoardStore } from './ops-board-store.js';

/** A Redis whose MULTI records the commands queued in it, one list per MULTI. */
function recordingRedis() {
  const multis: string[][][] = [];
  const redis = {
    multi() {
      const commands: string[][] = [];
      multis.push(commands);
      const chain = {
        hincrby: (...args: unknown[]) => (commands.push(['hincrby', ...args.map(String)]), chain),
        lpush: (...args: unknown[]) => (commands.push(['lpush', ...args.map(String)]), chain),
        ltrim: (...args: unknown[]) => (commands.push(['ltrim', ...args.map(String)]), chain),
        exec: () => Promise.resolve([]),
      };
      return chain;
    },
  } as unknown as Redis;
  return { redis, multis };
}

const move = (paymentId: string, from: OpsMove['from'], to: OpsMove['to']): OpsMove => ({ paymentId, from, to, at: '2026-12-01T00:00:00.000Z' });

describe('OpsBoardStore', () => {
  it('writes the moves recorded together in one MULTI, the counts by their net change', async () => {
    const { redis, multis } = recordingRedis();
    const store = new OpsBoardStore(redis, 'p.');
    const moves = [move('a', null, 'processing'), move('a', 'processing', 'paid'), move('b', null, 'processing'), move('a', 'paid', 'confirmed')];
    await Promise.all([...moves.map((m) => store.recordMove(m)), store.recordError({ at: moves[0]!.at, source: 'payment', code: 'DECLINED', message: 'declined', paymentId: 'b' })]);
    expect(multis).toHaveLength(1);
    expect(multis[0]).toEqual([
      ['hincrby', 'payflow:p.ops:counts', 'processing', '1'],
      ['hincrby', 'payflow:p.ops:counts', 'confirmed', '1'],
      ['lpush', 'payflow:p.ops:moves', ...moves.map((m) => JSON.stringify(m))],
      ['ltrim', 'payflow:p.ops:moves', '0', '199'],
      ['lpush', 'payflow:p.ops:errors', expect.stringContaining('DECLINED') as unknown as string],
      ['ltrim', 'payflow:p.ops:errors', '0', '19'],
    ]);
  });

  it('flush writes what waits at once, and nothing when nothing waits', async () => {
    const { redis, multis } = recordingRedis();
    const store = new OpsBoardStore(redis);
    await store.flush();
    expect(multis).toHaveLength(0);
    const recorded = store.recordMove(move('a', null, 'processing'));
    await store.flush();
    await recorded;
    expect(multis).toHaveLength(1);
  });
});
