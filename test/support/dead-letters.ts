import { deadLetterTopic } from '../../contracts/index.js';
import { createKafka } from '../../lib/kafka.js';
import { createLogger } from '../../lib/logger.js';
import { readRecords } from './kafka-records.js';

export interface DeadLetter {
  topic: string;
  headers: Record<string, string>;
}

/** Sends malformed records (not JSON, not a valid event, empty) to every partition of each topic. */
export async function injectPoison(brokers: string[], topics: string[], partitions: number[]): Promise<number> {
  const kafka = createKafka({ clientId: 'poison-injector', brokers, logger: createLogger('test', 'silent') });
  const producer = kafka.producer();
  await producer.connect();
  const poison = ['{not json', JSON.stringify({ type: 'PaymentInitiated', paymentId: 'not-a-uuid' }), ''];
  try {
    await producer.sendBatch({
      topicMessages: topics.map((topic) => ({
        topic,
        messages: partitions.map((partition) => ({ partition, key: `poison-${partition}`, value: poison[partition % poison.length]! })),
      })),
    });
  } finally {
    await producer.disconnect();
  }
  return topics.length * partitions.length;
}

/** Reads the dead-letter topics of `topics` from the start until `expected` records have arrived. */
export async function readDeadLetters(brokers: string[], topics: string[], expected: number, timeoutMs = 60_000): Promise<DeadLetter[]> {
  const records = await readRecords(brokers, topics.map(deadLetterTopic), { until: (read) => read.length >= expected, timeoutMs, settleMs: 500 });
  return records.map(({ topic, headers }) => ({ topic, headers }));
}
