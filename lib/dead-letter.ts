import type { KafkaMessage } from 'kafkajs';
import { deadLetterTopic } from '../contracts/index.js';
import type { OutgoingRecord } from './event-publisher.js';

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
