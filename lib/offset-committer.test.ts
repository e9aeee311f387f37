import type { Consumer, TopicPartitionOffsetAndMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { OffsetCommitter } from './offset-committer.js';
import { StaleMemberError } from './stale-member-error.js';

/** A consumer whose commits are recorded and settled by the test; an accepted commit emits COMMIT_OFFSETS, as kafkajs does. */
function recordingConsumer() {
  const commits: { offsets: TopicPartitionOffsetAndMetadata[]; accept: () => void; refuse: (err: Error) => void; skip: () => void }[] = [];
  let onCommit: (() => void) | undefined;
  const consumer = {
    events: { COMMIT_OFFSETS: 'consumer.commit_offsets' },
    on: (_event: string, listener: () => void) => (onCommit = listener),
    commitOffsets: (offsets: TopicPartitionOffsetAndMetadata[]) =>
      new Promise<void>((resolve, reject) =>
        commits.push({
          offsets,
          accept: () => {
            onCommit?.();
            resolve();
          },
          refuse: reject,
          // kafkajs resolves without a request when its runner is not running.
          skip: () => resolve(),
        }),
      ),
  } as unknown as Consumer;
  return { consumer, commits };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const logger = createLogger('test', 'silent');
const protocolError = (type: string) => Object.assign(new Error('wrapped'), { cause: Object.assign(new Error(type), { type }) });

describe('OffsetCommitter.confirmMembership', () => {
  it('confirmations asked while a commit is in flight share the next commit, which also carries finished offsets', async () => {
    const { consumer, commits } = recordingConsumer();
    const committer = new OffsetCommitter(consumer, logger);
    for (const partition of [0, 1, 2]) committer.partition('t', partition).start(10);
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
      { topic: 't', partition: 0, offset: '10' },
      { topic: 't', partition: 1, offset: '10' },
    ]);
    commits[1]!.accept();
    await Promise.all(later);
  });

  it('rejects with PARTITION_REVOKED when the coordinator says the member is stale', async () => {
    for (const type of ['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS']) {
      const { consumer, commits } = recordingConsumer();
      const committer = new OffsetCommitter(consumer, logger);
      committer.partition('t', 0).start(5);
      const confirming = committer.confirmMembership('t', 0);
      await tick();
      commits[0]!.refuse(protocolError(type));
      await expect(confirming).rejects.toBeInstanceOf(StaleMemberError);
      await expect(confirming).rejects.toMatchObject({ code: 'PARTITION_REVOKED' });
    }
  });

  it('passes any other commit error on as it is, to be retried', async () => {
    const { consumer, commits } = recordingConsumer();
    const committer = new OffsetCommitter(consumer, logger);
    committer.partition('t', 0).start(5);
    const confirming = committer.confirmMembership('t', 0);
    await tick();
    const unreachable = new Error('connection refused');
    commits[0]!.refuse(unreachable);
    await expect(confirming).rejects.toBe(unreachable);
  });

  it('rejects when kafkajs resolved without committing (its runner is not running)', async () => {
    const { consumer, commits } = recordingConsumer();
    const committer = new OffsetCommitter(consumer, logger);
    committer.partition('t', 0).start(5);
    const confirming = committer.confirmMembership('t', 0);
    await tick();
    commits[0]!.skip();
    await expect(confirming).rejects.toBeInstanceOf(StaleMemberError);
  });

  it('rejects without a request for a partition from before the last rebalance', async () => {
    const { consumer, commits } = recordingConsumer();
    const committer = new OffsetCommitter(consumer, logger);
    committer.partition('t', 0).start(5);
    committer.reset();
    await expect(committer.confirmMembership('t', 0)).rejects.toBeInstanceOf(StaleMemberError);
    expect(commits).toHaveLength(0);
  });
});
