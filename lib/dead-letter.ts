import type { KafkaMessage, Producer } from 'kafkajs';
import { deadLetterTopic } from '../contracts/index.js';

export interface DeadLetterSource {
  groupId: string;
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** Sends a record that cannot be processed to `<topic>.dlq`, unchanged, with the error and origin in headers. */
export async function sendToDeadLetter(producer: Producer, source: DeadLetterSource, error: Error): Promise<void> {
  const { groupId, topic, partition, message } = source;
  await producer.send({
    topic: deadLetterTopic(topic),
    acks: -1,
    messages: [
      {
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
    ],
  });
}
