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
        expireat: (...args: unknown[]) => (commands.push(['expireat', ...args.map(String)]), chain),
        exec: () => Promise.resolve([]),
      };
      return chain;
    },
  } as unknown as Redis;
  return { redis, multis };
}

const move = (paymentId: string, from: OpsMove['from'], to: OpsMove['to'], extra: Partial<OpsMove> = {}): OpsMove => ({
  paymentId,
  from,
  to,
  at: '2026-12-01T00:00:00.000Z',
  ...extra,
});
/** 2026-12-01T00:00:00Z in epoch seconds: the 10-second bucket of every move above. */
const BUCKET = Date.parse('2026-12-01T00:00:00.000Z') / 1000;

describe('OpsBoardStore', () => {
  it('writes the moves recorded together in one MULTI, the counts by their net change', async () => {
    const { redis, multis } = recordingRedis();
    const store = new OpsBoardStore(redis, 'p.');
    const moves = [
      move('a', null, 'processing'),
      move('a', 'processing', 'paid'),
      move('b', null, 'processing'),
      move('a', 'paid', 'confirmed', { secondsSinceAccepted: 0.7 }),
    ];
    await Promise.all([
      ...moves.map((m) => store.recordMove(m)),
      store.recordError({ at: moves[0]!.at, source: 'payment', code: 'DECLINED', message: 'declined', paymentId: 'b' }),
    ]);
    expect(multis).toHaveLength(1);
    expect(multis[0]).toEqual([
      ['hincrby', 'payflow:p.ops:counts', 'processing', '1'],
      ['hincrby', 'payflow:p.ops:counts', 'confirmed', '1'],
      ['lpush', 'payflow:p.ops:moves', ...moves.map((m) => JSON.stringify(m))],
      ['ltrim', 'payflow:p.ops:moves', '0', '199'],
      ['hincrby', `payflow:p.ops:series:${BUCKET}`, 'confirmed', '1'],
      ['hincrby', `payflow:p.ops:series:${BUCKET}`, 's6', '1'],
      ['expireat', `payflow:p.ops:series:${BUCKET}`, String(BUCKET + 970)],
      ['lpush', 'payflow:p.ops:errors', expect.stringContaining('DECLINED') as unknown as string],
      ['ltrim', 'payflow:p.ops:errors', '0', '19'],
    ]);
  });

  it('adds the outcomes of a batch to the series with one HINCRBY per bucket and field, so a busy batch costs no more commands', async () => {
    const { redis, multis } = recordingRedis();
    const store = new OpsBoardStore(redis);
    const confirmations = Array.from({ length: 50 }, (_, i) => move(`c${i}`, 'paid', 'confirmed', { secondsSinceAccepted: 0.55 }));
    const declined = move('d', 'processing', 'failed', { at: '2026-12-01T00:00:10.000Z' });
    await Promise.all([...confirmations, declined].map((m) => store.recordMove(m)));
    const series = multis[0]!.filter(([, key]) => key?.includes(':series:'));
    expect(series).toEqual([
      ['hincrby', `payflow:ops:series:${BUCKET}`, 'confirmed', '50'],
      ['hincrby', `payflow:ops:series:${BUCKET}`, 's5', '50'],
      ['expireat', `payflow:ops:series:${BUCKET}`, String(BUCKET + 970)],
      ['hincrby', `payflow:ops:series:${BUCKET + 10}`, 'failed', '1'],
      ['expireat', `payflow:ops:series:${BUCKET + 10}`, String(BUCKET + 980)],
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
