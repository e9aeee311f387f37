import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent, topicsWithPrefix } from '../../contracts/index.js';
import { freePorts } from '../../infra/free-port.js';
import { startLocalKafka, type LocalKafka } from '../../infra/kafka/local-kafka.js';
import { createLogger } from '../../lib/logger.js';
import { readRecords, type RecordRead } from '../support/kafka-records.js';
import { startSystem, type System } from './harness/system.js';
import { pay, paymentRequest, postPayment, ShopperSocket } from './harness/shopper.js';
import { chargeSettledWebhook, deliverWebhook } from './harness/webhook-sender.js';

// A broker of this file's own, so stopping it leaves the other test files' broker alone.
let kafka: LocalKafka;
let system: System;
let stateDir: string;
let ports: { port: number; controllerPort: number };
const log = createLogger('test-kafka', process.env['TEST_LOG_LEVEL'] ?? 'warn');

const startBroker = () => startLocalKafka({ nodes: [ports], home: join(stateDir, 'kafka'), log });

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'payflow-outage-'));
  const [port, controllerPort] = (await freePorts(2)) as [number, number];
  ports = { port, controllerPort };
  kafka = await startBroker();
  system = await startSystem({ kafkaBrokers: kafka.brokers });
});

afterAll(async () => {
  await system?.stop();
  await kafka?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('when the Kafka broker goes away', () => {
  it("a Billing Gates webhook is answered 503 and not taken as seen: the sender's retry, once Kafka is back, is published, once", async () => {
    const paymentId = randomUUID();
    const body = JSON.stringify(chargeSettledWebhook(paymentId));
    await kafka.stop();
    try {
      const refused = await deliverWebhook(system.bffUrl, body);
      expect([refused.status, refused.body.error?.code]).toEqual([503, 'WEBHOOK_NOT_PUBLISHED']);
    } finally {
      kafka = await startBroker();
    }

    // The sender retries, each time signed afresh, until a 2xx.
    let retried = await deliverWebhook(system.bffUrl, body);
    const deadline = Date.now() + 60_000;
    while (retried.status === 503 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      retried = await deliverWebhook(system.bffUrl, body);
    }
    expect(retried).toEqual({ status: 200, body: { duplicate: false, eventId: expect.any(String) } });
    expect(await deliverWebhook(system.bffUrl, body)).toEqual({ status: 200, body: { duplicate: true } });

    const topic = topicsWithPrefix(system.topicPrefix).paymentsActionSettled;
    const ours = (read: RecordRead[]) => read.filter((record) => record.key === paymentId);
    const records = ours(await readRecords(kafka.brokers, [topic], { until: (read) => ours(read).length > 0, timeoutMs: 30_000, settleMs: 2_000 }));
    expect(records.map((record) => decodeEvent(record.value).eventId)).toEqual([retried.body.eventId]);
  });

  it('the BFF answers 503 within a few seconds, never 202, accepts payments again once Kafka is back, and then stops within 10 s', async () => {
    const before = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, before);
    await shopper.waitFor('confirmed');
    shopper.close();

    await kafka.stop();
    const started = Date.now();
    const refused = await postPayment(system.bffUrl, paymentRequest());
    const elapsed = Date.now() - started;
    expect(refused.status).toBe(503);
    // The BFF cannot tell a broker that is gone from one that wrote the record and went quiet.
    expect(refused.body.error.code).toBe('PAYMENT_NOT_CONFIRMED');
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(elapsed).toBeLessThan(10_000);
    expect((await fetch(`${system.bffUrl}/readyz`)).status).toBe(503);

    kafka = await startBroker();
    let after: { status: number; body: any } = { status: 0, body: null };
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      after = await postPayment(system.bffUrl, paymentRequest());
      if (after.status === 202) break;
      expect(after.status).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(after.status).toBe(202);
    const recovered = new ShopperSocket(system.bffUrl, after.body);
    try {
      await recovered.waitFor('confirmed', 90_000);
    } finally {
      recovered.close();
    }

    // Asked to stop now, every process does so as promptly as it would had Kafka never gone.
    const stopping = performance.now();
    await system.stop();
    expect(performance.now() - stopping).toBeLessThan(10_000);
  });
});
