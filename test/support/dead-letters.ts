import { deadLetterTopic } from '../../contracts/index.js';
import { createKafka } from '../../lib/kafka.js';
import { createLogger } from '../../lib/logger.js';

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
  const kafka = createKafka({ clientId: 'dead-letter-reader', brokers, logger: createLogger('test', 'silent') });
  const consumer = kafka.consumer({ groupId: `dead-letter-reader-${Date.now()}-${Math.random()}`, maxWaitTimeInMs: 500 });
  const dead: DeadLetter[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: topics.map(deadLetterTopic), fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        dead.push({ topic, headers });
        return Promise.resolve();
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (dead.length < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    // A moment more, so that a record too many would be seen too.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return dead;
  } finally {
    await consumer.disconnect();
  }
}
