import { createKafka } from '../../lib/kafka.js';
import { createLogger } from '../../lib/logger.js';

export interface RecordRead {
  topic: string;
  key: string | null;
  headers: Record<string, string>;
  value: string | null;
}

export interface ReadOptions {
  /** Stop reading once this holds for what was read so far. */
  until: (records: RecordRead[]) => boolean;
  timeoutMs?: number;
  /** After `until` holds, read a moment longer, so that a record too many would be seen too; default 0. */
  settleMs?: number;
}

/** Reads `topics` from the start, in a consumer group of its own, until `until` holds or time is up. */
export async function readRecords(brokers: string[], topics: string[], { until, timeoutMs = 60_000, settleMs = 0 }: ReadOptions): Promise<RecordRead[]> {
  const kafka = createKafka({ clientId: 'record-reader', brokers, logger: createLogger('test', 'silent') });
  const consumer = kafka.consumer({ groupId: `record-reader-${Date.now()}-${Math.random()}`, maxWaitTimeInMs: 500 });
  const records: RecordRead[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        records.push({ topic, key: message.key?.toString() ?? null, headers, value: message.value?.toString() ?? null });
        return Promise.resolve();
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (!until(records) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/** The trace id of a W3C `traceparent` header (`00-<trace id>-<span id>-<flags>`). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent ?? '')?.[1];
}

/** Produces `records` to `topic` as they are (key, value, headers): a redelivery, a replay, or a hand-made record. */
export async function sendRecords(brokers: string[], topic: string, records: Array<Pick<RecordRead, 'key' | 'value' | 'headers'>>): Promise<void> {
  const producer = createKafka({ clientId: 'record-sender', brokers, logger: createLogger('test', 'silent') }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: records.map(({ key, value, headers }) => ({ key, value, headers })) });
  } finally {
    await producer.disconnect();
  }
}

/**
 * Delivers a payment's record on `topic` once more, as it was (key, value, headers), as Kafka
 * does when the consumer that handled it died before committing; returns the record.
 */
export async function deliverAgain(brokers: string[], topic: string, paymentId: string): Promise<RecordRead> {
  const ofPayment = (records: RecordRead[]) => records.filter((r) => r.key === paymentId);
  const [record] = ofPayment(await readRecords(brokers, [topic], { until: (read) => ofPayment(read).length > 0, timeoutMs: 30_000 }));
  if (record === undefined) throw new Error(`no record of ${paymentId} on ${topic}`);
  await sendRecords(brokers, topic, [record]);
  return record;
}
