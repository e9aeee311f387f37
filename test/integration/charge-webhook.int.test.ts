/**
 * Billing Gates' signed webhook, received by the real BFF on a real Kafka and Redis: what it
 * publishes (read back from the topic), what it refuses, and a payment that waits for the shopper's
 * bank as the shopper and support see it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEvent, newEvent, topicsWithPrefix, type ChargeSettledWebhook, type PaymentLookup, type TimelineEntry } from '../../contracts/index.js';
import { DEVELOPMENT_WEBHOOK_SECRET, signWebhook } from '../../lib/webhook-signature.js';
import { OPS_COOKIE } from '../../server/ops/ops-session.js';
import { readRecords, sendRecords, type RecordRead } from '../support/kafka-records.js';
import { metricSum } from '../support/metrics.js';
import { until } from '../support/until.js';
import { signInOperator } from './harness/operator.js';
import { control, ledgerKinds, pay, ShopperSocket } from './harness/shopper.js';
import { startSystem, type System } from './harness/system.js';
import { chargeSettledWebhook, deliverWebhook } from './harness/webhook-sender.js';

let system: System;
let settledTopic: string;
let cookie: string;
beforeAll(async () => {
  system = await startSystem();
  settledTopic = topicsWithPrefix(system.topicPrefix).paymentsActionSettled;
  cookie = `${OPS_COOKIE}=${await signInOperator(system.bffUrl)}`;
});
afterAll(async () => {
  await system?.stop();
});

const deliver = (body: string, signature?: string | null) => deliverWebhook(system.bffUrl, body, signature);

/** The records of `paymentIds` on the settlements' topic, read until `enough` of them are there and a moment longer, so one too many is seen too. */
async function settlementsOf(paymentIds: string[], enough: number): Promise<RecordRead[]> {
  const ours = (records: RecordRead[]) => records.filter((record) => paymentIds.includes(record.key ?? ''));
  return ours(await readRecords(system.kafkaBrokers, [settledTopic], { until: (read) => ours(read).length >= enough, timeoutMs: 30_000, settleMs: 2_000 }));
}

/** The payment's story from the operators' lookup, once an entry of its timeline is `wanted`. */
async function storyOnceItHas(paymentId: string, wanted: (entry: TimelineEntry) => boolean): Promise<PaymentLookup> {
  let story: PaymentLookup | undefined;
  await until(async () => {
    const response = await fetch(`${system.bffUrl}/ops/api/payments/${paymentId}`, { headers: { cookie } });
    if (response.status !== 200) return false;
    story = (await response.json()) as PaymentLookup;
    return story.payment.timeline.some(wanted);
  }, 15_000);
  return story!;
}

describe("Billing Gates' webhook", () => {
  it('a signed webhook is published once as ChargeActionSettled, even for a payment the BFF has never seen; the same webhook again is a duplicate and publishes nothing', async () => {
    const paymentId = randomUUID(); // never accepted by this BFF: the billing worker decides
    const webhook = chargeSettledWebhook(paymentId, { status: 'declined', declineCode: 'AUTHENTICATION_FAILED' });
    const body = JSON.stringify(webhook);
    const duplicatesBefore = await metricSum(system.bffUrl, 'payflow_webhooks_total', { outcome: 'duplicate' });

    const first = await deliver(body);
    expect(first).toEqual({ status: 200, body: { duplicate: false, eventId: expect.any(String) } });
    // Retried by the sender, signed afresh, and once more as it was: both taken as the same webhook.
    expect(await deliver(body)).toEqual({ status: 200, body: { duplicate: true } });
    expect(await deliver(body, signWebhook(DEVELOPMENT_WEBHOOK_SECRET, body, Date.now() - 60_000))).toEqual({ status: 200, body: { duplicate: true } });

    const records = await settlementsOf([paymentId], 1);
    expect(records).toHaveLength(1);
    expect(records[0]!.headers['event-type']).toBe('ChargeActionSettled');
    expect(JSON.parse(records[0]!.value!)).toMatchObject({
      eventId: first.body.eventId,
      type: 'ChargeActionSettled',
      paymentId,
      data: { webhookEventId: webhook.id, chargeId: webhook.data.chargeId, status: 'declined', declineCode: 'AUTHENTICATION_FAILED' },
    });
    expect(await metricSum(system.bffUrl, 'payflow_webhooks_total', { outcome: 'duplicate' })).toBe(duplicatesBefore + 2);

    // Support sees what the webhook said, as not yet checked.
    const story = await storyOnceItHas(paymentId, (entry) => entry.kind === 'ChargeActionSettled');
    expect(story.payment.timeline).toEqual([
      expect.objectContaining({ kind: 'ChargeActionSettled', webhookEventId: webhook.id, status: 'declined', declineCode: 'AUTHENTICATION_FAILED' }),
    ]);
  });

  it('a forged, stale, unsigned or malformed webhook is refused 400 with its code, and nothing is published for it', async () => {
    const forged = JSON.stringify(chargeSettledWebhook(randomUUID()));
    const stale = JSON.stringify(chargeSettledWebhook(randomUUID()));
    const unsigned = JSON.stringify(chargeSettledWebhook(randomUUID()));
    const malformed = chargeSettledWebhook(randomUUID());
    const notJson = `{"id":"evt_${randomUUID()}","data":{"paymentId":"${malformed.data.paymentId}"`;
    const refusedBefore = await metricSum(system.bffUrl, 'payflow_webhooks_total', { outcome: 'refused' });

    const answers = {
      forged: await deliver(forged, signWebhook('a secret that is not the configured one', forged)),
      tampered: await deliver(forged.replace('"succeeded"', '"declined"'), signWebhook(DEVELOPMENT_WEBHOOK_SECRET, forged)),
      stale: await deliver(stale, signWebhook(DEVELOPMENT_WEBHOOK_SECRET, stale, Date.now() - 6 * 60_000)),
      unsigned: await deliver(unsigned, null),
      wrongShape: await deliver(JSON.stringify({ ...malformed, type: 'charge.refunded' })),
      notJson: await deliver(notJson),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([what, answer]) => [what, [answer.status, answer.body.error?.code]]))).toEqual({
      forged: [400, 'WEBHOOK_SIGNATURE_INVALID'],
      tampered: [400, 'WEBHOOK_SIGNATURE_INVALID'],
      stale: [400, 'WEBHOOK_TIMESTAMP_STALE'],
      unsigned: [400, 'WEBHOOK_SIGNATURE_MISSING'],
      wrongShape: [400, 'INVALID_WEBHOOK'],
      notJson: [400, 'INVALID_WEBHOOK'],
    });
    expect(await metricSum(system.bffUrl, 'payflow_webhooks_total', { outcome: 'refused' })).toBe(refusedBefore + 6);

    // A good webhook after them: once it is on the topic, whatever they would have published would be too.
    const good = randomUUID();
    expect((await deliver(JSON.stringify(chargeSettledWebhook(good)))).status).toBe(200);
    const refusedIds = [forged, stale, unsigned].map((body) => (JSON.parse(body) as ChargeSettledWebhook).data.paymentId).concat(malformed.data.paymentId);
    const records = await settlementsOf([good, ...refusedIds], 1);
    expect(records.map((record) => record.key)).toEqual([good]);
  });

  it('a body over 16 kB is refused 413 before anything is read of it', async () => {
    const body = JSON.stringify({ ...chargeSettledWebhook(randomUUID()), padding: 'x'.repeat(17 * 1024) });
    const answer = await deliver(body);
    expect([answer.status, answer.body.error.code]).toEqual([413, 'BODY_TOO_LARGE']);
  });
});

describe('a payment whose charge waits for the shopper to confirm at their bank', () => {
  it('is pushed to the shopper as requires_action with where to confirm, moves on to paid and confirmed without it, and support sees the challenge', async () => {
    // Billing Gates away: the charge is retried, and the payment stays processing until the
    // hand-made PaymentRequiresAction below is read, as the billing worker will publish it.
    await control(system.billingGatesUrl, { down: true });
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    try {
      await shopper.waitFor('processing');
      const nextAction = { type: 'redirect' as const, url: `${system.billingGatesUrl}/challenges/ch_3ds_${payment.paymentId}` };
      const expiresAt = new Date(Date.now() + 10 * 60_000).toISOString();
      const requiresAction = newEvent({
        type: 'PaymentRequiresAction',
        paymentId: payment.paymentId,
        correlationId: randomUUID(),
        data: { chargeId: `ch_3ds_${payment.paymentId}`, nextAction, expiresAt },
      });
      await sendRecords(system.kafkaBrokers, topicsWithPrefix(system.topicPrefix).paymentsActionRequired, [encodeEvent(requiresAction)]);

      const waiting = await shopper.waitFor('requires_action', 30_000);
      expect(waiting).toMatchObject({ status: 'requires_action', nextAction });
      const polled = await fetch(`${system.bffUrl}/api/payments/${payment.paymentId}`, { headers: { authorization: `Bearer ${payment.clientSecret}` } });
      expect(await polled.json()).toMatchObject({ status: 'requires_action', nextAction });

      await control(system.billingGatesUrl, { down: false });
      const paid = await shopper.waitFor('paid', 60_000);
      expect(paid.nextAction).toBeUndefined();
      expect((await shopper.waitFor('confirmed', 30_000)).nextAction).toBeUndefined();
      expect(await ledgerKinds(system.billingGatesUrl, payment.paymentId)).toEqual(['charge']);
      // In that order, whatever notices came while the charge was retried.
      expect([...new Set(shopper.snapshots.map((snapshot) => snapshot.status))]).toEqual(['processing', 'requires_action', 'paid', 'confirmed']);

      const story = await storyOnceItHas(payment.paymentId, (entry) => entry.kind === 'status' && entry.to === 'confirmed');
      expect(story.payment.timeline).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'PaymentRequiresAction', chargeId: `ch_3ds_${payment.paymentId}`, expiresAt }),
          expect.objectContaining({ kind: 'status', from: 'processing', to: 'requires_action' }),
          expect.objectContaining({ kind: 'status', from: 'requires_action', to: 'paid' }),
        ]),
      );
      // The challenge's URL is the shopper's to use: not in the payment's story.
      expect(JSON.stringify(story)).not.toContain(nextAction.url);
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { down: false });
    }
  });
});
