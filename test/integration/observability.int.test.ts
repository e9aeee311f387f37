import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTerminal, topicsWithPrefix, type PaymentSnapshot } from '../../contracts/index.js';
import { startTracing, type Tracing } from '../../lib/tracing.js';
import { readRecords, traceIdOf } from '../support/kafka-records.js';
import { metricSum } from '../support/metrics.js';
import { startSystem, type System } from './harness/system.js';
import { control, pay } from './harness/shopper.js';

const spans = new InMemorySpanExporter();
let tracing: Tracing;
let system: System;
beforeAll(async () => {
  tracing = startTracing({ serviceName: 'payflow-test', spanProcessors: [new SimpleSpanProcessor(spans)] });
  system = await startSystem();
});
afterAll(async () => {
  await system?.stop();
  await tracing?.shutdown();
});

describe('traces', () => {
  it('one payment is one trace: every event of it carries the traceparent of its POST, and the downstream calls continue it', async () => {
    const payment = await pay(system.bffUrl);
    await waitForTerminal(system.bffUrl, payment);
    const topics = topicsWithPrefix(system.topicPrefix);
    const wanted = [topics.paymentsInitiated, topics.paymentsSucceeded, topics.ordersConfirmed];
    const records = (
      await readRecords(system.kafkaBrokers, wanted, {
        until: (read) => wanted.every((topic) => read.some((r) => r.topic === topic && r.key === payment.paymentId)),
        timeoutMs: 30_000,
      })
    ).filter((record) => record.key === payment.paymentId);

    const traceIds = wanted.map((topic) => traceIdOf(records.find((r) => r.topic === topic)?.headers['traceparent']));
    expect(traceIds[0]).toMatch(/^[\da-f]{32}$/);
    expect(traceIds).toEqual([traceIds[0], traceIds[0], traceIds[0]]);

    // The stand-ins read the traceparent of the workers' calls: their request spans are in the same trace.
    const names = spans
      .getFinishedSpans()
      .filter((span) => span.spanContext().traceId === traceIds[0])
      .map((span) => span.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/payments',
        'process PaymentInitiated',
        'POST billing-gates',
        'POST /charges',
        'POST /orders',
        'process OrderConfirmed',
      ]),
    );
  });

  it('another payment is another trace', async () => {
    const [first, second] = await Promise.all([pay(system.bffUrl), pay(system.bffUrl)]);
    const initiated = topicsWithPrefix(system.topicPrefix).paymentsInitiated;
    const ids = new Set([first.paymentId, second.paymentId]);
    const records = await readRecords(system.kafkaBrokers, [initiated], {
      until: (read) => read.filter((r) => ids.has(r.key ?? '')).length >= 2,
      timeoutMs: 30_000,
    });
    const traceIds = records.filter((r) => ids.has(r.key ?? '')).map((r) => traceIdOf(r.headers['traceparent']));
    expect(new Set(traceIds).size).toBe(2);
  });
});

describe('metrics after a known run', () => {
  it('10 payments, 2 of them declined: every process counts exactly them', async () => {
    const { bffUrl, billingWorkerUrl, orderWorkerUrl, billingGatesUrl } = system;
    await control(billingGatesUrl, { declineTokens: ['pm_card_declined'] });
    const read = () =>
      Promise.all([
        metricSum(bffUrl, 'payflow_payments_accepted_total'),
        metricSum(bffUrl, 'payflow_payment_status_changes_total', { status: 'confirmed' }),
        metricSum(bffUrl, 'payflow_payment_status_changes_total', { status: 'failed' }),
        metricSum(bffUrl, 'payflow_payment_seconds_to_status_count', { status: 'confirmed' }),
        metricSum(bffUrl, 'payflow_payment_seconds_to_status_count', { status: 'failed' }),
        metricSum(bffUrl, 'payflow_socket_pushes_total', { kind: 'change' }),
        metricSum(billingWorkerUrl, 'payflow_events_handled_total', { type: 'PaymentInitiated' }),
        metricSum(billingWorkerUrl, 'payflow_downstream_request_seconds_count', { service: 'billing-gates' }),
        metricSum(orderWorkerUrl, 'payflow_events_published_total', { type: 'OrderConfirmed' }),
        metricSum(billingGatesUrl, 'payflow_http_request_seconds_count', { route: '/charges' }),
        metricSum(bffUrl, 'payflow_payment_status_changes_total', { status: 'paid' }),
      ]);
    const before = await read();

    const ok = await Promise.all(Array.from({ length: 8 }, () => pay(system.bffUrl)));
    const declined = await Promise.all(Array.from({ length: 2 }, () => pay(system.bffUrl, { paymentMethod: { token: 'pm_card_declined' } })));
    await Promise.all([...ok, ...declined].map((payment) => waitForTerminal(bffUrl, payment)));

    const after = await read();
    const delta = after.map((value, i) => value - before[i]!);
    // A payment whose OrderConfirmed reaches the BFF in the same fetch as its PaymentSucceeded (the
    // stand-ins answer in 20 ms; fetches are 100 ms apart) may be confirmed first, and then "paid"
    // is no move at all: every move is pushed once, and "paid" is among them at most 8 times.
    const paidMoves = delta.pop()!;
    expect(paidMoves).toBeLessThanOrEqual(8);
    expect(delta).toEqual([
      10, // accepted
      8, // confirmed
      2, // failed
      8, // time to confirmed observed
      2, // time to failed observed
      paidMoves + 10, // pushes: each move once, paid for those that moved through it, confirmed for 8, failed for 2
      10, // charges attempted by the billing worker
      10, // its calls to Billing Gates
      8, // orders confirmed by the order worker
      10, // charge requests Billing Gates served
    ]);
    expect(await metricSum(bffUrl, 'payflow_payment_seconds_to_status_sum', { status: 'confirmed' })).toBeGreaterThan(0);
  });

  it('the BFF and both workers report themselves ready and Kafka up, the BFF Redis up too, as their /readyz says', async () => {
    const processes = [system.bffUrl, system.billingWorkerUrl, system.orderWorkerUrl];
    for (const url of processes) {
      expect((await fetch(`${url}/readyz`)).status, url).toBe(200);
      expect(await metricSum(url, 'payflow_ready'), url).toBe(1);
      expect(await metricSum(url, 'payflow_dependency_up', { dependency: 'kafka' }), url).toBe(1);
    }
    expect(await metricSum(system.bffUrl, 'payflow_dependency_up', { dependency: 'redis' })).toBe(1);
  });

  it('once the flow is idle, every consumer group reports no lag on any partition', async () => {
    const lagged = async () =>
      (await Promise.all([system.bffUrl, system.billingWorkerUrl, system.orderWorkerUrl].map((url) => metricSum(url, 'payflow_consumer_lag')))).reduce(
        (a, b) => a + b,
        0,
      );
    const deadline = Date.now() + 20_000;
    while ((await lagged()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await lagged()).toBe(0);
    const text = await (await fetch(`${system.billingWorkerUrl}/metrics`)).text();
    expect(text).toMatch(
      new RegExp(
        `payflow_consumer_lag\\{group="${system.topicPrefix.replace('.', '\\.')}payflow-billing-worker",topic="[^"]+payments\\.initiated",partition="0"`,
      ),
    );
  });
});

async function waitForTerminal(bffUrl: string, payment: { paymentId: string; clientSecret: string }): Promise<PaymentSnapshot> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${bffUrl}/api/payments/${payment.paymentId}`, { headers: { authorization: `Bearer ${payment.clientSecret}` } });
    const snapshot = response.ok ? ((await response.json()) as PaymentSnapshot) : undefined;
    if (snapshot && isTerminal(snapshot.status)) return snapshot;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`payment ${payment.paymentId} reached no terminal status`);
}
