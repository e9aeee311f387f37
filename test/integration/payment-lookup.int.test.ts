import type { Redis } from 'ioredis';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  topicsWithPrefix,
  type EmailLookup,
  type OpsBoard,
  type OpsClientToServerEvents,
  type OpsServerToClientEvents,
  type PaymentLookup,
  type TimelineEntry,
} from '../../contracts/index.js';
import { createKafka } from '../../lib/kafka.js';
import { createLogger } from '../../lib/logger.js';
import { connectRedis } from '../../lib/redis-connection.js';
import { DEVELOPMENT_OPS_TOKEN } from '../../server/ops/ops-session.js';
import { metricSum } from '../support/metrics.js';
import { until } from '../support/until.js';
import { control, ledger, pay, ShopperSocket } from './harness/shopper.js';
import { startSystem, type System } from './harness/system.js';

let system: System;
let redis: Redis;
let cookie: string;
beforeAll(async () => {
  system = await startSystem();
  redis = connectRedis(inject('redisUrl'));
  const signIn = await fetch(`${system.bffUrl}/ops/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: DEVELOPMENT_OPS_TOKEN }),
  });
  cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(async () => {
  await system?.stop();
  await redis?.quit();
});

async function lookUp(path: string, withCookie = cookie): Promise<{ status: number; text: string; body: any }> {
  const response = await fetch(`${system.bffUrl}/ops/api/payments${path}`, { headers: withCookie === '' ? {} : { cookie: withCookie } });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) };
}

/** Looks the payment up until its timeline holds an entry of each kind in `kinds`. */
async function timelineWith(paymentId: string, kinds: Array<TimelineEntry['kind']>): Promise<{ lookup: PaymentLookup; text: string }> {
  let last: { status: number; text: string; body: any } | undefined;
  await until(async () => {
    last = await lookUp(`/${paymentId}`);
    const timeline = (last.body as PaymentLookup).payment?.timeline ?? [];
    return last.status === 200 && kinds.every((kind) => timeline.some((entry) => entry.kind === kind));
  }, 30_000).catch((err: unknown) => {
    throw new Error(`the timeline of ${paymentId} never held ${kinds.join(', ')}; last answer ${last?.text}`, { cause: err });
  });
  return { lookup: last!.body as PaymentLookup, text: last!.text };
}

const unfinished = () => metricSum(system.bffUrl, 'payflow_payments_unfinished');
const oldestUnfinished = () => metricSum(system.bffUrl, 'payflow_payments_unfinished_oldest_seconds');

describe('looking up a payment', () => {
  it('a confirmed payment shows its timeline with the charge id and the order id, and neither the client secret nor the SSO token', async () => {
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    const confirmed = await shopper.waitFor('confirmed');
    shopper.close();
    const { lookup, text } = await timelineWith(payment.paymentId, ['accepted', 'PaymentSucceeded', 'OrderConfirmed']);

    const [charge] = (await ledger(system.billingGatesUrl, payment.paymentId)) as unknown as Array<{ chargeId: string }>;
    expect(lookup.payment.current).toMatchObject({ status: 'confirmed' });
    expect(lookup.payment.timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'accepted', planId: payment.request.planId, amount: payment.request.amount, email: payment.request.customer.email }),
        expect.objectContaining({ kind: 'PaymentSucceeded', chargeId: charge!.chargeId }),
        expect.objectContaining({ kind: 'OrderConfirmed', orderId: expect.stringMatching(/\S/) }),
        expect.objectContaining({ kind: 'status', from: 'processing', to: 'paid' }),
        expect.objectContaining({ kind: 'status', from: 'paid', to: 'confirmed' }),
      ]),
    );
    expect(lookup.payment.timeline[0]!.kind).toBe('accepted'); // oldest first

    const sealed = (JSON.parse((await redis.get(`payflow:payment:${payment.paymentId}:snapshot`))!) as { signIn: { ssoToken: string } }).signIn.ssoToken;
    const opened = confirmed.signIn!.ssoToken;
    for (const secret of [payment.clientSecret, sealed, opened, payment.request.paymentMethod.token]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/ssoToken|signIn|clientSecret/);
  });

  it('a declined attempt and the payment that followed are both listed by email, and by the paymentId of either', async () => {
    await control(system.billingGatesUrl, { declineTokens: ['pm_card_declined'] });
    const email = `Lookup-${Math.random().toString(36).slice(2, 8)}@Example.com`;
    const declined = await pay(system.bffUrl, { customer: { email }, paymentMethod: { token: 'pm_card_declined' } });
    await timelineWith(declined.paymentId, ['PaymentFailed']);
    const paid = await pay(system.bffUrl, { customer: { email: email.toLowerCase() } });
    const { lookup } = await timelineWith(paid.paymentId, ['OrderConfirmed']);

    expect(lookup.sameEmail.map((other) => other.paymentId)).toEqual([declined.paymentId]);
    expect(lookup.sameEmail[0]!.current).toMatchObject({ status: 'failed', reason: { code: 'CARD_DECLINED' } });
    expect(lookup.sameEmail[0]!.timeline).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'PaymentFailed', reason: expect.objectContaining({ code: 'CARD_DECLINED' }) })]),
    );

    const byEmail = await lookUp(`?email=${encodeURIComponent(email.toUpperCase())}`);
    expect(byEmail.status).toBe(200);
    expect((byEmail.body as EmailLookup).payments.map((p) => p.paymentId)).toEqual([paid.paymentId, declined.paymentId]); // newest first
  });

  it("a record of the payment that a worker dead-lettered shows in its timeline, and once among the live view's errors", async () => {
    const payment = await pay(system.bffUrl);
    await timelineWith(payment.paymentId, ['OrderConfirmed']);
    const topic = topicsWithPrefix(system.topicPrefix).paymentsInitiated;
    const kafka = createKafka({ clientId: 'lookup-test', brokers: system.kafkaBrokers, logger: createLogger('test', 'silent') });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: payment.paymentId, value: JSON.stringify({ type: 'PaymentInitiated', paymentId: payment.paymentId }) }] });
    await producer.disconnect();

    const { lookup } = await timelineWith(payment.paymentId, ['dead-lettered']);
    expect(lookup.payment.timeline.filter((entry) => entry.kind === 'dead-lettered')).toEqual([
      expect.objectContaining({
        topic,
        code: 'POISON_RECORD',
        consumerGroup: `${system.topicPrefix}payflow-billing-worker`,
        offset: expect.stringMatching(/^\d+$/),
      }),
    ]);

    const socket = io(`${system.bffUrl}/ops`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { cookie },
    }) as import('socket.io-client').Socket<OpsServerToClientEvents, OpsClientToServerEvents>;
    try {
      const board = await new Promise<OpsBoard>((resolve) => socket.once('ops:board', resolve));
      expect(board.errors.filter((error) => error.paymentId === payment.paymentId)).toEqual([
        expect.objectContaining({ source: 'dead-letter', code: 'POISON_RECORD', topic }),
      ]);
    } finally {
      socket.close();
    }
  });

  it('without an operator session the lookup answers 401; a bad id or email 400; an unknown payment 404', async () => {
    for (const path of ['/3f1c1a52-8d3e-4c39-9d55-6a0b7f0e2a11', '?email=a%40example.com']) {
      expect(await lookUp(path, '')).toMatchObject({ status: 401, body: { error: { code: 'OPS_UNAUTHORIZED' } } });
      expect(await lookUp(path, 'payflow_ops=v1.99999999999999.forged')).toMatchObject({ status: 401 });
    }
    expect(await lookUp('/not-a-payment-id')).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
    expect(await lookUp('?email=not-an-email')).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
    expect(await lookUp('')).toMatchObject({ status: 400 });
    expect(await lookUp('/3f1c1a52-8d3e-4c39-9d55-6a0b7f0e2a11')).toMatchObject({ status: 404, body: { error: { code: 'PAYMENT_NOT_FOUND' } } });
  });

  it('while Billing Gates is down the gauges report the unfinished payment and its age, and 0 once it is confirmed', async () => {
    await until(async () => (await unfinished()) === 0, 30_000);
    await control(system.billingGatesUrl, { down: true });
    let payment: Awaited<ReturnType<typeof pay>>;
    try {
      payment = await pay(system.bffUrl);
      await until(async () => (await unfinished()) === 1 && (await oldestUnfinished()) >= 1, 20_000);
    } finally {
      await control(system.billingGatesUrl, { down: false });
    }
    await timelineWith(payment.paymentId, ['OrderConfirmed']);
    await until(async () => (await unfinished()) === 0 && (await oldestUnfinished()) === 0, 30_000);
  });
});
