import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterTopic, PROCESSES, topicsReadBy, topicsWithPrefix } from '../../contracts/index.js';
import { injectPoison, readDeadLetters } from '../support/dead-letters.js';
import { metricSum } from '../support/metrics.js';
import { startSystem, type System } from './harness/system.js';
import { control, ledger, pay, ShopperSocket } from './harness/shopper.js';

let system: System;
beforeAll(async () => {
  system = await startSystem({ orderDeadlineMs: 3_000 });
});
afterAll(async () => {
  await system?.stop();
});

describe('failure paths', () => {
  it('when Billing Gates is down for 5 s, payments wait in Kafka and complete once it returns, each charged once', async () => {
    await control(system.billingGatesUrl, { down: true });
    const retriesBefore = await metricSum(system.billingWorkerUrl, 'payflow_handler_retries_total');
    const payments = await Promise.all(Array.from({ length: 20 }, () => pay(system.bffUrl)));
    const shoppers = payments.map((payment) => new ShopperSocket(system.bffUrl, payment));
    try {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      expect(shoppers.every((shopper) => shopper.snapshots.every((s) => s.status === 'processing'))).toBe(true);
      expect(await metricSum(system.billingWorkerUrl, 'payflow_handler_retries_total')).toBeGreaterThan(retriesBefore);

      await control(system.billingGatesUrl, { down: false });
      await Promise.all(shoppers.map((shopper) => shopper.waitFor('confirmed', 60_000)));
      const charges = (await ledger(system.billingGatesUrl)).filter((e) => e.kind === 'charge');
      for (const payment of payments) expect(charges.filter((c) => c.paymentId === payment.paymentId)).toHaveLength(1);
    } finally {
      shoppers.forEach((shopper) => shopper.close());
      await control(system.billingGatesUrl, { down: false });
    }
  });

  it('when Udi keeps failing past the deadline, the charge is refunded once Udi says it has no confirmed order, and the shopper sees refunded', async () => {
    await control(system.udiUrl, { down: true });
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      // Past the deadline (3 s from the charge) while Udi cannot even be asked whether it confirmed:
      // nothing is refunded on a guess.
      await shopper.waitFor('paid', 30_000);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      expect(shopper.snapshots.map((s) => s.status)).not.toContain('refunded');
      expect((await ledger(system.billingGatesUrl, payment.paymentId)).map((e) => e.kind)).toEqual(['charge']);

      // Udi answers again; past the deadline it is asked before anything is retried, and it has no order.
      await control(system.udiUrl, { down: false });
      const refunded = await shopper.waitFor('refunded', 30_000);
      expect(refunded.reason?.code).toBe('ORDER_NOT_COMPLETED');
      const kinds = (await ledger(system.billingGatesUrl, payment.paymentId)).map((e) => e.kind).sort();
      expect(kinds).toEqual(['charge', 'refund']);
    } finally {
      shopper.close();
      await control(system.udiUrl, { down: false });
    }
  });

  it('a malformed record on every consumed topic goes to its dead-letter topic with the error, and the partitions move on', async () => {
    const topics = topicsWithPrefix(system.topicPrefix);
    const poisoned = Object.values(topics);
    const partitions = [0, 1, 2];
    await injectPoison(system.kafkaBrokers, poisoned, partitions);

    // Every partition carried poison first: a confirmed payment now shows they moved on.
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await shopper.waitFor('confirmed', 30_000);
    } finally {
      shopper.close();
    }

    // Each consumer group dead-letters what it reads (the lifecycle's table says who reads what:
    // payments.succeeded, say, is read by the BFF and the order worker).
    const readers: Record<string, number> = Object.fromEntries(
      poisoned.map((topic) => [topic, PROCESSES.filter((process) => topicsReadBy(process, topics).includes(topic)).length]),
    );
    expect(
      Object.values(readers).every((count) => count > 0),
      'every topic is read by some process',
    ).toBe(true);
    const expected = Object.values(readers).reduce((a, b) => a + b, 0) * partitions.length;
    const dead = await readDeadLetters(system.kafkaBrokers, poisoned, expected);
    expect(dead).toHaveLength(expected);
    for (const topic of poisoned) {
      const records = dead.filter((d) => d.topic === deadLetterTopic(topic));
      expect(records).toHaveLength(readers[topic]! * partitions.length);
      for (const record of records) {
        expect(record.headers['dlq-source-topic']).toBe(topic);
        expect(record.headers['dlq-error-code']).toBe('POISON_RECORD');
        expect(record.headers['dlq-error']).toBeTruthy();
        expect(Number(record.headers['dlq-source-offset'])).toBeGreaterThanOrEqual(0);
      }
    }
    expect(await metricSum(system.bffUrl, 'payflow_dead_lettered_total')).toBeGreaterThanOrEqual(15);
  });
});
