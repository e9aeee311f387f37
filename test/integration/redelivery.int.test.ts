import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicsWithPrefix, type PaymentSnapshot } from '../../contracts/index.js';
import { readRecords, sendRecords } from '../support/kafka-records.js';
import { metricSum } from '../support/metrics.js';
import { startSystem, type System } from './harness/system.js';
import { pay, ShopperSocket } from './harness/shopper.js';

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system?.stop();
});

describe('a redelivered status event', () => {
  it('when the change it made is already saved (its replica died before pushing or committing), the snapshot is pushed again', async () => {
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await shopper.waitFor('confirmed');
      const pushedBefore = shopper.snapshots.length;
      const againBefore = await metricSum(system.bffUrl, 'payflow_socket_pushes_total', { kind: 'again' });

      // Deliver the OrderConfirmed record once more, as Kafka does after a replica dies uncommitted.
      const topic = topicsWithPrefix(system.topicPrefix).ordersConfirmed;
      const [record] = (await readRecords(system.kafkaBrokers, [topic], { until: (read) => read.some((r) => r.key === payment.paymentId), timeoutMs: 30_000 })).filter((r) => r.key === payment.paymentId);
      await sendRecords(system.kafkaBrokers, topic, [record!]);

      const deadline = Date.now() + 15_000;
      while (shopper.snapshots.length === pushedBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const again = shopper.snapshots.at(-1) as PaymentSnapshot;
      expect(again).toMatchObject({ status: 'confirmed', seq: shopper.snapshots[pushedBefore - 1]!.seq });
      expect(await metricSum(system.bffUrl, 'payflow_socket_pushes_total', { kind: 'again' })).toBe(againBefore + 1);
    } finally {
      shopper.close();
    }
  });
});
