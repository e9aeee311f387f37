import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allTopicNames, newEvent, topicsWithPrefix, type PaymentEvent } from '../../contracts/index.js';
import { freePorts } from '../../infra/free-port.js';
import { startLocalKafka, type LocalKafka } from '../../infra/kafka/local-kafka.js';
import { EventPublisher } from '../../lib/event-publisher.js';
import { createEventProducer, createKafka } from '../../lib/kafka.js';
import { ensureTopics } from '../../lib/kafka-topics.js';
import { createLogger } from '../../lib/logger.js';
import { readRecords } from '../support/kafka-records.js';

/**
 * A send that times out on a frozen broker is ambiguous: the broker may write it once it resumes.
 * kafkajs gives the failed batch's sequence numbers back, so a producer that kept going would send
 * its next batch with the same sequence, which the broker acknowledges as a duplicate of the
 * written one without writing it. Every acknowledged event must be in the topic.
 */
// A broker of this file's own: freezing it leaves the other test files' broker alone.
let kafka: LocalKafka;
let stateDir: string;
const log = createLogger('test-ambiguous', process.env['TEST_LOG_LEVEL'] ?? 'silent');
const topics = topicsWithPrefix(`ambiguous-${randomUUID().slice(0, 8)}.`);

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'payflow-ambiguous-'));
  const [port, controllerPort] = (await freePorts(2)) as [number, number];
  kafka = await startLocalKafka({ nodes: [{ port, controllerPort }], home: join(stateDir, 'kafka'), log });
  // One partition, so every event shares one sequence: the next batch reuses the failed one's numbers.
  await ensureTopics(createKafka({ clientId: 'ambiguous-setup', brokers: kafka.brokers, logger: log }), allTopicNames(topics), { partitions: 1 });
});

afterAll(async () => {
  kafka?.signal('SIGCONT');
  await kafka?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

const failedEvent = (): PaymentEvent =>
  newEvent({ type: 'PaymentFailed', paymentId: randomUUID(), correlationId: randomUUID(), data: { reason: { code: 'CARD_DECLINED', message: 'declined' } } });

describe('when a publish times out on a frozen broker that writes it after all', () => {
  it('the next publishes are not dropped as duplicates: every acknowledged event is in the topic', async () => {
    const client = createKafka({ clientId: 'ambiguous', brokers: kafka.brokers, logger: log });
    const publisher = new EventPublisher({ createProducer: () => createEventProducer(client), topics, logger: log });
    await publisher.connect();
    const acknowledged: PaymentEvent[] = [];
    try {
      const before = failedEvent();
      await publisher.publish(before);
      acknowledged.push(before);

      let failure: unknown;
      const started = Date.now();
      kafka.signal('SIGSTOP');
      try {
        // requestTimeout 5 s, 3 retries (lib/kafka.ts): this fails after about 20 s.
        await publisher.publish(failedEvent()).catch((err: unknown) => (failure = err));
      } finally {
        kafka.signal('SIGCONT');
      }
      log.warn({ ms: Date.now() - started, err: failure }, 'publish on the frozen broker settled');
      expect(failure).toBeInstanceOf(Error);

      // Same size as the ambiguous one, one after the other, as a worker publishing outcomes does.
      for (let i = 0; i < 3; i++) {
        const next = failedEvent();
        await publisher.publish(next);
        acknowledged.push(next);
      }
    } finally {
      await publisher.disconnect();
    }

    const wanted = new Set(acknowledged.map((event) => event.paymentId));
    const records = await readRecords(kafka.brokers, [topics.paymentsFailed], {
      until: (read) => acknowledged.every((event) => read.some((r) => r.key === event.paymentId)),
      timeoutMs: 20_000,
    });
    const missing = acknowledged.filter((event) => !records.some((r) => r.key === event.paymentId)).map((event) => event.paymentId);
    console.info(
      `ambiguous publish: ${JSON.stringify({ acknowledged: acknowledged.length, inTopic: records.filter((r) => wanted.has(r.key ?? '')).length, records: records.length, missing: missing.length })}`,
    );
    expect(missing).toEqual([]);
  });
});
