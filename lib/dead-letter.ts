import type { KafkaMessage } from 'kafkajs';
import { deadLetterTopic } from '../contracts/index.js';
import type { OutgoingRecord } from './event-publisher.js';

/**
 * How many times a record has been replayed from a dead-letter topic (`npm run dlq replay`). The
 * replay drops the other `dlq-*` headers but sets this one, and deadLetterRecord copies a record's
 * headers, so a replay that fails again reaches the dead-letter topic with its count.
 */
export const REPLAYS_HEADER = 'dlq-replays';

/**
 * Set on a record that is not a dead letter but a note, appended to the dead-letter topic by a
 * replay, saying which dead letter (`<partition>:<offset>` of this topic) was replayed. Its value
 * is empty; whoever reads a dead-letter topic skips these.
 */
export const REPLAY_OF_HEADER = 'dlq-replay-of';

/**
 * The consumer group a replayed record is meant for: the group that dead-lettered it
 * (`dlq-consumer-group`). Every other group of the topic already handled the record when it was
 * first published, so each of them passes a record carrying another group's name over; a record
 * without the header is handled by every group, as any record is.
 */
export const REPLAY_GROUP_HEADER = 'dlq-replay-group';

export interface DeadLetterSource {
  groupId: string;
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** The copy of a record that cannot be processed, for `<topic>.dlq`: unchanged, with the error and origin in headers. */
export function deadLetterRecord(source: DeadLetterSource, error: Error): OutgoingRecord {
  const { groupId, topic, partition, message } = source;
  return {
    topic: deadLetterTopic(topic),
    message: {
      key: message.key,
      value: message.value,
      headers: {
        ...message.headers,
        'dlq-error': error.message.slice(0, 1_000),
        'dlq-error-code': (error as { code?: string }).code ?? error.name,
        'dlq-consumer-group': groupId,
        'dlq-source-topic': topic,
        'dlq-source-partition': String(partition),
        'dlq-source-offset': message.offset,
        'dlq-failed-at': new Date().toISOString(),
      },
    },
  };
}

/** kafkajs' record headers (Buffers, strings, arrays of them) as text; a repeated header keeps its last value. */
export function textHeaders(headers: KafkaMessage['headers']): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last !== undefined) text[name] = last.toString();
  }
  return text;
}
