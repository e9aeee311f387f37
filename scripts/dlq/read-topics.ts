import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { PayflowError } from '../../contracts/payflow-error.js';
import { GROUP_MEMBERSHIP } from '../../lib/kafka.js';
import type { TopicRecord } from './dead-letters.js';

export interface ReadOptions {
  /** How long the read may go without a record before it is given up; default 30 s. */
  idleTimeoutMs?: number;
  /** Told of each record as it is read, for progress on long reads. */
  onRecord?: (read: number, total: number) => void;
  /** Told of what went wrong but did not stop the read (the reader's group not deleted). */
  warn?: (line: string) => void;
}

/** Reading did not reach the end of the topics in time. Retryable: the brokers were slow to answer, and the same command run again may read to the end. */
export class ReadTimeoutError extends PayflowError<'READ_TIMEOUT'> {
  constructor(message: string) {
    super('READ_TIMEOUT', message, { retryable: true });
  }
}

/** Where each non-empty partition ends now: `topic|partition` → [low, high). */
type Ends = Map<string, { low: number; high: number }>;

/**
 * Every record of `topics` that is there now, without joining or moving any worker's consumer
 * group. kafkajs has no assign(): a consumer in a group of its own reads from the beginning and
 * stops at the high watermarks taken before it started (records written meanwhile are left for
 * the next run); the group is then deleted, so nothing is left on the broker. Topics that do not
 * exist and empty partitions are skipped, and when nothing is left to read no consumer is made.
 */
export async function readTopics(
  kafka: Kafka,
  admin: Admin,
  topics: string[],
  { idleTimeoutMs = 30_000, onRecord, warn }: ReadOptions = {},
): Promise<TopicRecord[]> {
  const ends = await endsOf(admin, topics);
  if (ends.size === 0) return [];
  const total = [...ends.values()].reduce((sum, { low, high }) => sum + high - low, 0);
  const groupId = `payflow-dlq-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500, ...GROUP_MEMBERSHIP });
  const records: TopicRecord[] = [];
  const pending = new Set(ends.keys());
  let idle: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set([...ends.keys()].map((key) => key.slice(0, key.lastIndexOf('|'))))], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      // Given up only when nothing arrives for idleTimeoutMs, so a large topic may take as long as it needs.
      const giveUpLater = () => {
        clearTimeout(idle);
        idle = setTimeout(() => {
          const where = [...pending].map((key) => key.replace('|', '/')).join(', ');
          reject(new ReadTimeoutError(`read ${records.length} of ${total} records, then nothing for ${idleTimeoutMs / 1000} s; ${where} not read to the end`));
        }, idleTimeoutMs);
      };
      giveUpLater();
      consumer
        .run({
          autoCommit: false,
          eachBatch: ({ batch }) => {
            giveUpLater();
            const key = `${batch.topic}|${batch.partition}`;
            const end = ends.get(key);
            if (end === undefined) return Promise.resolve(); // an empty partition of a topic that has others
            for (const message of batch.messages) {
              if (Number(message.offset) >= end.high) break;
              records.push({ topic: batch.topic, partition: batch.partition, message });
              onRecord?.(records.length, total);
            }
            // The batch's last offset, not its last message: control records are never delivered.
            if (Number(batch.lastOffset()) >= end.high - 1) pending.delete(key);
            if (pending.size === 0) resolve();
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    clearTimeout(idle);
    await consumer.disconnect();
    await deleteGroup(admin, groupId, warn);
  }
  return records;
}

async function endsOf(admin: Admin, topics: string[]): Promise<Ends> {
  const existing = new Set(await admin.listTopics());
  const ends: Ends = new Map();
  for (const topic of topics.filter((name) => existing.has(name))) {
    for (const { partition, low, high } of await admin.fetchTopicOffsets(topic)) {
      if (Number(high) > Number(low)) ends.set(`${topic}|${partition}`, { low: Number(low), high: Number(high) });
    }
  }
  return ends;
}

/** The reader's group holds no offsets (nothing was committed), but the broker keeps it until deleted. */
async function deleteGroup(admin: Admin, groupId: string, warn: (line: string) => void = () => {}): Promise<void> {
  try {
    await admin.deleteGroups([groupId]);
  } catch (err) {
    // GROUP_ID_NOT_FOUND: the broker had already dropped it, which is what we wanted.
    const notFound = JSON.stringify(err).includes('GROUP_ID_NOT_FOUND') || String(err).includes('does not exist');
    if (!notFound)
      warn(`could not delete the reader's consumer group ${groupId} (${String(err)}); delete it with kafka-consumer-groups --delete --group ${groupId}`);
  }
}
