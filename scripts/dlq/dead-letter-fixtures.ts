import type { KafkaMessage } from 'kafkajs';
import { deadLetterRecord } from '../../lib/dead-letter.js';
import type { TopicRecord } from './dead-letters.js';

/** A record of a dead-letter topic as a consumer would have written it (unit tests only). */
export function deadLetterAt(
  { topic = 'payments.initiated', partition = 0, offset = 0, key = 'p-1', code = 'POISON_RECORD', headers = {}, value = '{}' }: {
    topic?: string;
    partition?: number;
    offset?: number;
    key?: string;
    code?: string;
    headers?: Record<string, string>;
    value?: string;
  } = {},
): TopicRecord {
  const error = Object.assign(new Error(`failed: ${code}`), { code });
  const source: KafkaMessage = { key: Buffer.from(key), value: Buffer.from(value), headers: { 'event-type': 'PaymentInitiated', ...headers }, offset: '41', timestamp: '0', attributes: 0 };
  const { topic: dlq, message } = deadLetterRecord({ groupId: 'payflow-billing-worker', topic, partition: 1, message: source }, error);
  const written: KafkaMessage = { key: Buffer.from(key), value: Buffer.from(value), headers: message.headers as Record<string, string>, offset: String(offset), timestamp: '1000', attributes: 0 };
  return { topic: dlq, partition, message: written };
}

/** A note of the replay of the dead letter at `partition:offset` (unit tests only). */
export function replayNoteAt(topic: string, of: string, offset: number): TopicRecord {
  return { topic, partition: 0, message: { key: null, value: null, headers: { 'dlq-replay-of': of }, offset: String(offset), timestamp: '5000', attributes: 0 } };
}
