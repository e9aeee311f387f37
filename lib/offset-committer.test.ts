import type { Consumer, TopicPartitionOffsetAndMetadata } from 'kafkajs';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger.js';
import { AGES_REFRESH_MS, OffsetCommitter } from './offset-committer.js';
import { decodeRecordAges } from './record-ages.js';
import { StaleMemberError } from './stale-member-error.js';

const EVENTS = {
  COMMIT_OFFSETS: 'consumer.commit_offsets',
  REBALANCING: 'consumer.rebalancing',
  GROUP_JOIN: 'consumer.group_join',
  STOP: 'consumer.stop',
  CRASH: 'consumer.crash',
  DISCONNECT: 'consumer.disconnect',
  REQUEST: 'consumer.network.request',
};

/** A consumer whose commits are recorded and settled by the test; an accepted commit emits COMMIT_OFFSETS, as kafkajs does. */
function recordingConsumer() {
  const commits: { offsets: TopicPartitionOffsetAndMetadata[]; accept: () => void; refuse: (err: Error) => void; skip: () => void }[] = [];
  const listeners = new Map<string, ((event: { payload: Record<string, unknown> }) => void)[]>();
  const emit = (event: string, payload: Record<string, unknown> = {}) => listeners.get(event)?.forEach((listener) => listener({ payload }));
  const consumer = {
    events: EVENTS,
    on: (event: string, listener: (event: { payload: Record<string, unknown> }) => void) => listeners.set(event, [...(listeners.get(event) ?? []), listener]),
    commitOffsets: (offsets: TopicPartitionOffsetAndMetadata[]) =>
      new Promise<void>((resolve, reject) =>
        commits.push({
          offsets,
          accept: () => {
            emit(EVENTS.COMMIT_OFFSETS);
            resolve();
          },
          refuse: reject,
          // kafkajs resolves without a request when its runner is not running.
          skip: () => resolve(),
        }),
      ),
  } as unknown as Consumer;
  return { consumer, commits, emit };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const logger = createLogger('test', 'silent');
const protocolError = (type: string) => Object.assign(new Error('wrapped'), { cause: Object.assign(new Error(type), { type }) });

describe('OffsetCommitter.confirmMembership without a lease', () => {
  it('confirmations asked while a commit is in flight share the next commit, which also carries finished offsets', async () => {
    const { consumer, commits } = recordingConsumer();
    const committer = new OffsetCommitter(consumer, logger, { leaseMs: 0 });
    for (const partition of [0, 1, 2]) committer.partition('t', partition).start(10, 0);
    committer.partition('t', 2).finish(10);
    const first = committer.confirmMembership('t', 0);
    await tick();
    const later = [committer.confirmMembership('t', 0), committer.confirmMembership('t', 1), committer.confirmMembership('t', 1)];
    await tick();
    expect(commits).toHaveLength(1);
    commits[0]!.accept();
    await first;
    await tick();
    expect(commits).toHaveLength(2);
    expect(commits[1]!.offsets).toEqual([
      { topic: 't', partition: 0, offset: '10', metadata: expect.any(String) },
      { topic: 't', partition: 1, offset: '10', metadata: expect.any(String) },
    ]);
    commits[1]!.accept();
    await Promise.all(later);
  });

  it('rejects with PARTITION_REVOKED when the coordinator says the member is stale', async () => {
    for (const type of ['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS']) {
      const { consumer, commits } = recordingConsumer();
      const committer = new OffsetCommitter(consumer, logger, { leaseMs: 0 });
      committer.partition('t', 0).start(5, 0);
      const confirming = committer.confirmMembership('t', 0);
      await tick();
      commits[0]!.refuse(protocolError(type));
      await expect(confirming).rejects.toBeInstanceOf(StaleMemberError);
      // Retryable, never dead-lettered: the partition's new owner handles the record.
      await expect(confirming).rejects.toMatchObject({ code: 'PARTITION_REVOKED', retryable: true });
    }
  });

  it('passes any other commit error on as it is, to be retried', async () => {
    const { consumer, commits } = recordingConsumer();
    const committer = new OffsetCommitter(consumer, logger, { leaseMs: 0 });
    committer.partition('t', 0).start(5, 0);
    const confirming = committer.confirmMembership('t', 0);
    await tick();
    const unreachable = new Error('connection refused');
    commits[0]!.refuse(unreachable);
    await expect(confirming).rejects.toBe(unreachable);
  });

  it('rejects when kafkajs resolved without committing (its runner is not running)', async () => {
    const { consumer, commits } = recordingConsumer();
    const committer = new OffsetCommitter(consumer, logger, { leaseMs: 0 });
    committer.partition('t', 0).start(5, 0);
    const confirming = committer.confirmMembership('t', 0);
    await tick();
    commits[0]!.skip();
    await expect(confirming).rejects.toBeInstanceOf(StaleMemberError);
  });

  it('rejects without a request for a partition from before the last rebalance', async () => {
    const { consumer, commits } = recordingConsumer();
    const committer = new OffsetCommitter(consumer, logger, { leaseMs: 0 });
    committer.partition('t', 0).start(5, 0);
    committer.reset();
    await expect(committer.confirmMembership('t', 0)).rejects.toBeInstanceOf(StaleMemberError);
    expect(commits).toHaveLength(0);
  });
});

describe('OffsetCommitter.confirmMembership with a lease', () => {
  function leased() {
    const clock = { ms: 0 };
    const recording = recordingConsumer();
    const committer = new OffsetCommitter(recording.consumer, logger, { leaseMs: 1_000, now: () => clock.ms });
    committer.partition('t', 0).start(5, 0);
    committer.partition('t', 1).start(7, 0);
    return { ...recording, committer, clock };
  }

  async function confirmOnce(committer: OffsetCommitter, commits: ReturnType<typeof recordingConsumer>['commits']) {
    const confirming = committer.confirmMembership('t', 0);
    await tick();
    commits.at(-1)!.accept();
    await confirming;
  }

  it('answers later calls without a request until the lease, counted from when the commit was sent, runs out', async () => {
    const { committer, commits, clock } = leased();
    const confirming = committer.confirmMembership('t', 0);
    await tick();
    clock.ms = 300; // the commit's round trip
    commits[0]!.accept();
    await confirming;
    clock.ms = 999;
    await committer.confirmMembership('t', 1);
    expect(commits).toHaveLength(1);
    clock.ms = 1_000;
    const afterLease = committer.confirmMembership('t', 0);
    await tick();
    expect(commits).toHaveLength(2);
    commits[1]!.accept();
    await afterLease;
  });

  it.each([['REBALANCING'], ['GROUP_JOIN'], ['STOP'], ['CRASH'], ['DISCONNECT']] as const)('asks the coordinator again after a %s event', async (event) => {
    const { committer, commits, emit } = leased();
    await confirmOnce(committer, commits);
    emit(EVENTS[event]);
    void committer.confirmMembership('t', 1);
    await tick();
    expect(commits).toHaveLength(2);
  });

  it.each([['JoinGroup'], ['SyncGroup'], ['LeaveGroup']])('asks the coordinator again after a %s request', async (apiName) => {
    const { committer, commits, emit } = leased();
    await confirmOnce(committer, commits);
    emit(EVENTS.REQUEST, { apiName: 'Heartbeat' });
    await committer.confirmMembership('t', 1);
    expect(commits).toHaveLength(1);
    emit(EVENTS.REQUEST, { apiName });
    void committer.confirmMembership('t', 1);
    await tick();
    expect(commits).toHaveLength(2);
  });

  it('takes no lease from a commit during which the member rebalanced', async () => {
    const { committer, commits, emit } = leased();
    const confirming = committer.confirmMembership('t', 0);
    await tick();
    emit(EVENTS.REBALANCING);
    commits[0]!.accept();
    await confirming;
    void committer.confirmMembership('t', 0);
    await tick();
    expect(commits).toHaveLength(2);
  });

  it('ends the lease when a commit is refused', async () => {
    const { committer, commits, clock } = leased();
    await confirmOnce(committer, commits);
    clock.ms = 1_000;
    const refused = committer.confirmMembership('t', 0);
    await tick();
    commits[1]!.refuse(protocolError('ILLEGAL_GENERATION'));
    await expect(refused).rejects.toBeInstanceOf(StaleMemberError);
    clock.ms = 1_001;
    const again = committer.confirmMembership('t', 0);
    await tick();
    expect(commits).toHaveLength(3);
    commits[2]!.accept();
    await again;
  });

  it('still rejects, without a request, a partition from before the last rebalance', async () => {
    const { committer, commits } = leased();
    await confirmOnce(committer, commits);
    committer.reset();
    await expect(committer.confirmMembership('t', 0)).rejects.toBeInstanceOf(StaleMemberError);
    expect(commits).toHaveLength(1);
  });
});

describe('OffsetCommitter: the ages of unfinished records', () => {
  function clocked() {
    const clock = { ms: 10_000 };
    const recording = recordingConsumer();
    const committer = new OffsetCommitter(recording.consumer, logger, { leaseMs: 0, now: () => clock.ms });
    return { ...recording, committer, clock };
  }
  const agesIn = (offsets: TopicPartitionOffsetAndMetadata[]) =>
    offsets.map(({ partition, offset, metadata }) => ({ partition, offset, ages: decodeRecordAges(metadata) }));

  it('go with every commit as durations, and a partition with nothing unfinished commits none', async () => {
    const { committer, commits, clock } = clocked();
    committer.partition('t', 0).start(4, 7_000);
    committer.partition('t', 0).start(5, 9_500);
    committer.partition('t', 1).start(8, 9_000);
    committer.partition('t', 1).finish(8);
    clock.ms = 10_250;
    const flushed = committer.flush();
    await tick();
    expect(agesIn(commits[0]!.offsets)).toEqual([
      {
        partition: 0,
        offset: '4',
        ages: {
          ages: [
            [4, 3_250],
            [5, 750],
          ],
          end: 6,
        },
      },
      { partition: 1, offset: '9', ages: undefined },
    ]);
    expect(commits[0]!.offsets[1]!.metadata).toBeNull();
    commits[0]!.accept();
    await flushed;
  });

  it('are committed again while the commit point stands still, every AGES_REFRESH_MS, and at once when asked (on stop)', async () => {
    const { committer, commits, clock } = clocked();
    committer.partition('t', 0).start(4, 10_000);
    const first = committer.flush();
    await tick();
    commits[0]!.accept();
    await first;

    clock.ms += AGES_REFRESH_MS - 1;
    await committer.flush();
    expect(commits).toHaveLength(1);

    clock.ms += 1;
    const refreshed = committer.flush();
    await tick();
    expect(agesIn(commits[1]!.offsets)).toEqual([{ partition: 0, offset: '4', ages: { ages: [[4, AGES_REFRESH_MS]], end: 5 } }]);
    commits[1]!.accept();
    await refreshed;

    clock.ms += 10;
    const onStop = committer.flush({ ages: 'now' });
    await tick();
    expect(agesIn(commits[2]!.offsets)).toEqual([{ partition: 0, offset: '4', ages: { ages: [[4, AGES_REFRESH_MS + 10]], end: 5 } }]);
    commits[2]!.accept();
    await onStop;
  });

  it('keepAgesCommitted commits them on its own while records stay unfinished', async () => {
    vi.useFakeTimers();
    try {
      const recording = recordingConsumer();
      const committer = new OffsetCommitter(recording.consumer, logger, { leaseMs: 0, now: () => Date.now() });
      committer.partition('t', 0).start(4, Date.now());
      committer.keepAgesCommitted();
      for (let round = 1; round <= 3; round++) {
        await vi.advanceTimersByTimeAsync(AGES_REFRESH_MS);
        expect(recording.commits).toHaveLength(round);
        recording.commits.at(-1)!.accept();
      }
      // The record finishes (the consumer then schedules a commit): its point moves on, and then nothing is committed any more.
      committer.partition('t', 0).finish(4);
      committer.schedule();
      await vi.advanceTimersByTimeAsync(AGES_REFRESH_MS);
      expect(recording.commits).toHaveLength(4);
      expect(recording.commits[3]!.offsets).toEqual([{ topic: 't', partition: 0, offset: '5', metadata: null }]);
      recording.commits.at(-1)!.accept();
      await vi.advanceTimersByTimeAsync(5 * AGES_REFRESH_MS);
      expect(recording.commits).toHaveLength(4);
      committer.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
