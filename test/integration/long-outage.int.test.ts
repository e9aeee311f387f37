import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { encodeEvent, newEvent, PLANS, topicsWithPrefix } from '../../contracts/index.js';
import { createEventProducer, createKafka } from '../../lib/kafka.js';
import { sleep } from '../../lib/sleep.js';
import { createBillingGatesApp } from '../../stand-ins/billing-gates/app.js';
import { startServer, testLogger, type RunningServer } from '../../stand-ins/common/testing.js';
import { billingWorker, billingWorkerOptions } from '../../workers/billing/billing-worker.js';
import { loadConfig } from '../../workers/billing/config.js';
import { startWorker, type RunningWorker } from '../../workers/common/start-worker.js';
import { control } from './harness/shopper.js';
import { startSignalCensus, type SignalCensus } from '../support/abort-signal-census.js';
import { metricSum } from '../support/metrics.js';

/**
 * A long downstream outage must not make a worker grow: every retry of every waiting record used
 * to leave an abort listener (and, on Node 20, an `AbortSignal.any` composite) on the consumer's
 * process-lifetime signals. The billing worker runs in this process so that its heap can be
 * measured after a forced garbage collection, and Node's own leak warning can be heard.
 */
const PAYMENTS = 1_000;
/** Retries before the first measurement: every record is in flight and the backoff has reached its ceiling. */
const WARM_RETRIES = 2_000;
/** Retries between the two measurements. */
const MEASURED_RETRIES = 6_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

let billingGates: RunningServer;
let worker: RunningWorker;
let workerUrl: string;
let census: SignalCensus;
const warnings: string[] = [];
const onWarning = (warning: Error) => void warnings.push(`${warning.name}: ${warning.message}`);

beforeAll(async () => {
  process.on('warning', onWarning);
  census = startSignalCensus();
  billingGates = await startServer(createBillingGatesApp({ logger: testLogger(), control: { down: true } }));
  const prefix = `test-${randomUUID().slice(0, 8)}.`;
  const brokers = inject('kafkaBrokers');
  const config = loadConfig({
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    TOPIC_PARTITIONS: '3',
    PORT: '0',
    BILLING_GATES_URL: billingGates.url,
  });
  worker = await startWorker(billingWorker(billingGates.url, billingWorkerOptions(config, testLogger())), config, testLogger());
  workerUrl = `http://127.0.0.1:${worker.port}`;

  const producer = createEventProducer(createKafka({ clientId: 'long-outage-test', brokers, logger: testLogger() }));
  await producer.connect();
  const plan = PLANS[0]!;
  const events = Array.from({ length: PAYMENTS }, (_, i) =>
    newEvent({
      type: 'PaymentInitiated',
      paymentId: randomUUID(),
      correlationId: `outage-${i}`,
      data: { planId: plan.id, amount: plan.amount, customer: { email: `outage-${i}@example.com` }, paymentMethod: { token: 'pm_card_ok' } },
    }),
  );
  await producer.send({ topic: topicsWithPrefix(prefix).paymentsInitiated, acks: -1, messages: events.map(encodeEvent) });
  await producer.disconnect();
});

afterAll(async () => {
  process.off('warning', onWarning);
  census?.stop();
  await worker?.stop();
  await billingGates?.close();
});

async function waitForRetries(count: number): Promise<number> {
  for (;;) {
    const retries = await metricSum(workerUrl, 'payflow_handler_retries_total');
    if (retries >= count) return retries;
    await sleep(500);
  }
}

describe('a long downstream outage', () => {
  it(
    'while Billing Gates is down for thousands of retries, the worker heap and abort listeners stay flat; then every payment is charged once',
    { timeout: 300_000 },
    async () => {
      const warmedAt = await waitForRetries(WARM_RETRIES);
      const before = { heap: heapAfterGc(), ...census.largest() };
      const measuredAt = await waitForRetries(warmedAt + MEASURED_RETRIES);
      const after = { heap: heapAfterGc(), ...census.largest() };
      const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
      console.info(
        `long outage: ${measuredAt - warmedAt} retries of ${PAYMENTS} waiting records; heap ${mb(before.heap)} → ${mb(after.heap)}; ` +
          `most abort listeners on one signal ${before.listeners} → ${after.listeners}; most AbortSignal.any composites on one signal ${before.composites} → ${after.composites}; ` +
          `warnings: ${JSON.stringify(warnings)}`,
      );

      // A waiting record may hold one listener and one composite on the consumer's signals while it waits; never one per retry.
      expect(after.listeners).toBeLessThanOrEqual(PAYMENTS);
      expect(after.composites).toBeLessThanOrEqual(PAYMENTS);
      expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
      // Far above the noise of a forced collection in a test process, far below what thousands of leaked retries would hold.
      expect(after.heap - before.heap).toBeLessThan(16 * 2 ** 20);

      await control(billingGates.url, { down: false });
      const deadline = Date.now() + 60_000;
      let charges = 0;
      while (Date.now() < deadline) {
        const { entries } = (await (await fetch(`${billingGates.url}/__ledger?kind=charge`)).json()) as { entries: Array<{ paymentId: string }> };
        charges = new Set(entries.map((e) => e.paymentId)).size;
        expect(entries.length).toBe(charges); // never twice
        if (charges === PAYMENTS) break;
        await sleep(500);
      }
      expect(charges).toBe(PAYMENTS);
    },
  );
});
