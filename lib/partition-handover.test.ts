import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { REPLAYS_HEADER } from './dead-letter.js';
import { createLogger } from './logger.js';
import { PartitionHandovers, sightingOf } from './partition-handover.js';

const handover = { ages: { ages: [[10, 4_000]] as Array<[number, number]>, end: 12 }, endAtHandover: 13 };
const message = (offset: number, headers = {}) => ({ offset: String(offset), headers });

describe('sightingOf', () => {
  it('takes a record its previous owner had seen as first seen the committed age before this fetch', () => {
    expect(sightingOf(handover, message(11), 50_000)).toEqual({ firstSeenAt: 46_000, firstHere: false });
  });

  it('takes a record past what was committed as first seen now, yet not first here while it was in the partition at the handover', () => {
    expect(sightingOf(handover, message(12), 50_000)).toEqual({ firstSeenAt: 50_000, firstHere: false });
  });

  it('takes a record that reached the partition after the handover as first seen here', () => {
    expect(sightingOf(handover, message(13), 50_000)).toEqual({ firstSeenAt: 50_000, firstHere: true });
  });

  it('never takes a replayed dead letter as first seen here', () => {
    expect(sightingOf(handover, message(20, { [REPLAYS_HEADER]: Buffer.from('1') }), 50_000)).toEqual({ firstSeenAt: 50_000, firstHere: false });
  });

  it('without a handover read, inherits nothing and takes nothing as first seen here', () => {
    expect(sightingOf({ ages: undefined, endAtHandover: Number.POSITIVE_INFINITY }, message(20), 50_000)).toEqual({ firstSeenAt: 50_000, firstHere: false });
  });
});

describe('PartitionHandovers.settled', () => {
  it('resolves only once the reads started at the join are answered, so a consumer is not started before it knows where its partitions ended', async () => {
    let answer: (value: Array<{ partition: number; high: string }>) => void = () => undefined;
    const admin = {
      fetchOffsets: () => Promise.resolve([{ topic: 't', partitions: [] }]),
      fetchTopicOffsets: () => new Promise((resolve) => (answer = resolve)),
    } as unknown as Admin;
    const handovers = new PartitionHandovers(admin, 'group', createLogger('test', 'silent'));
    handovers.joined({ t: [0] });
    let settled = false;
    const waiting = handovers.settled().then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    answer([{ partition: 0, high: '7' }]);
    await waiting;
    expect((await handovers.of('t', 0)).endAtHandover).toBe(7);
  });
});
