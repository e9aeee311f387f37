import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newEvent, TimelineEntry, type NewEvent, type PaymentEvent } from '../../contracts/index.js';
import { acceptedSnapshot } from '../status/project-snapshot.js';
import { acceptedEntry, deadLetterEntry, eventEntry, statusEntry } from './timeline-entries.js';

const paymentId = randomUUID();
const reason = { code: 'CARD_DECLINED', message: 'The card was declined.' };
const ev = (fields: Omit<NewEvent, 'paymentId' | 'correlationId'>): PaymentEvent => newEvent({ ...fields, paymentId, correlationId: 'c1' } as NewEvent);
const amount = { value: 2900, currency: 'EUR' };
const SEALED_TOKEN = 'v1.sealed-sso-token-that-must-never-show';
const CHALLENGE_URL = 'http://127.0.0.1:4001/challenges/the-shoppers-own';

const events: PaymentEvent[] = [
  ev({ type: 'PaymentSucceeded', data: { chargeId: 'ch_1', planId: 'team', amount, customer: { email: 'a@example.com' } } }),
  ev({ type: 'PaymentFailed', data: { reason } }),
  ev({ type: 'OrderConfirmed', data: { orderId: 'o_1', encryptedSsoToken: SEALED_TOKEN, ssoTokenExpiresAt: '2026-01-01T00:01:00.000Z' } }),
  ev({ type: 'OrderFailed', data: { chargeId: 'ch_1', reason } }),
  ev({ type: 'PaymentRefunded', data: { chargeId: 'ch_1', refundId: 'r_1', reason } }),
  ev({ type: 'RefundFailed', data: { chargeId: 'ch_1', reason } }),
  ev({ type: 'RefundedByHand', data: { refundId: 're_by_hand', reason } }),
  ev({
    type: 'PaymentRequiresAction',
    data: { chargeId: 'ch_1', nextAction: { type: 'redirect', url: CHALLENGE_URL }, expiresAt: '2026-01-01T00:10:00.000Z' },
  }),
  ev({ type: 'ChargeActionSettled', data: { webhookEventId: 'evt_1', chargeId: 'ch_1', status: 'declined', declineCode: 'AUTHENTICATION_FAILED' } }),
  ev({
    type: 'PaymentDelayed',
    data: {
      step: 'charge',
      since: '2026-01-01T00:00:00.000Z',
      attempts: 7,
      lastError: { code: 'HTTP_503', message: 'Billing Gates answered 503' },
      notice: { code: 'BANK_SLOW', message: 'Your bank is not answering yet.' },
    },
  }),
];

describe('timeline entries', () => {
  it('an order confirmation keeps the order id and never the SSO token, sealed or not', () => {
    const confirmed = events[2]!;
    const entry = eventEntry(confirmed);
    expect(entry).toEqual({ id: confirmed.eventId, entry: { kind: 'OrderConfirmed', at: confirmed.occurredAt, orderId: 'o_1' } });
    expect(JSON.stringify(entry)).not.toContain(SEALED_TOKEN);
    expect(JSON.stringify(entry)).not.toContain('ssoToken');
  });

  it('each event becomes an entry with the fields support needs, keyed by its eventId so a redelivery is recorded once', () => {
    const entries = events.map((event) => eventEntry(event)!);
    expect(entries.map(({ id }) => id)).toEqual(events.map((event) => event.eventId));
    for (const { entry } of entries) expect(TimelineEntry.safeParse(entry).success).toBe(true);
    expect(entries.map(({ entry }) => entry)).toMatchObject([
      { kind: 'PaymentSucceeded', chargeId: 'ch_1' },
      { kind: 'PaymentFailed', reason },
      { kind: 'OrderConfirmed', orderId: 'o_1' },
      { kind: 'OrderFailed', chargeId: 'ch_1', reason },
      { kind: 'PaymentRefunded', chargeId: 'ch_1', refundId: 'r_1', reason },
      { kind: 'RefundFailed', chargeId: 'ch_1', reason },
      { kind: 'RefundedByHand', refundId: 're_by_hand' },
      { kind: 'PaymentRequiresAction', chargeId: 'ch_1', expiresAt: '2026-01-01T00:10:00.000Z' },
      { kind: 'ChargeActionSettled', webhookEventId: 'evt_1', chargeId: 'ch_1', status: 'declined', declineCode: 'AUTHENTICATION_FAILED' },
      { kind: 'PaymentDelayed', step: 'charge', attempts: 7, lastError: { code: 'HTTP_503' }, notice: { code: 'BANK_SLOW' } },
    ]);
  });

  it("the bank's challenge keeps its charge id and expiry, never the URL that is the shopper's to use", () => {
    const entry = eventEntry(events[7]!);
    expect(entry?.entry).toEqual({ kind: 'PaymentRequiresAction', at: events[7]!.occurredAt, chargeId: 'ch_1', expiresAt: '2026-01-01T00:10:00.000Z' });
    expect(JSON.stringify(entry)).not.toContain(CHALLENGE_URL);
  });

  it('the acceptance keeps plan, amount and email, not the card token', () => {
    const snapshot = acceptedSnapshot(paymentId, new Date('2026-01-01T00:00:00Z'));
    const { id, entry } = acceptedEntry(snapshot, { planId: 'team', amount, customer: { email: 'a@example.com' }, paymentMethod: { token: 'pm_secret_card' } });
    expect(id).toBe('accepted');
    expect(entry).toEqual({ kind: 'accepted', at: '2026-01-01T00:00:00.000Z', planId: 'team', amount, email: 'a@example.com' });
    expect(JSON.stringify(entry)).not.toContain('pm_secret_card');
  });

  it('PaymentInitiated makes no entry of its own: it carries the card token, and the acceptance is recorded by the BFF', () => {
    expect(
      eventEntry(ev({ type: 'PaymentInitiated', data: { planId: 'team', amount, customer: { email: 'a@example.com' }, paymentMethod: { token: 'pm' } } })),
    ).toBeNull();
  });

  it('a status change keeps from, to and the reason, never the sign-in', () => {
    const snapshot = {
      paymentId,
      status: 'confirmed' as const,
      seq: 2,
      updatedAt: '2026-01-01T00:00:02.000Z',
      signIn: { ssoToken: SEALED_TOKEN, expiresAt: '2026-01-01T00:01:00.000Z', landingUrl: 'http://127.0.0.1:4003/sso' },
    };
    const entry = statusEntry('paid', snapshot);
    expect(entry).toEqual({ id: 'status:2:confirmed', entry: { kind: 'status', at: snapshot.updatedAt, from: 'paid', to: 'confirmed' } });
    expect(JSON.stringify(entry)).not.toContain(SEALED_TOKEN);
  });

  it('a status change on a snapshot started again after Redis lost it is not taken for the earlier change with the same seq', () => {
    const at = '2026-01-01T00:00:02.000Z';
    const paid = statusEntry('processing', { paymentId, status: 'paid', seq: 1, updatedAt: at });
    const confirmedOnRebuilt = statusEntry('processing', { paymentId, status: 'confirmed', seq: 1, updatedAt: at });
    expect(confirmedOnRebuilt.id).not.toBe(paid.id);
  });

  it('a dead letter is identified by where its copy is, so the same copy read again is recorded once', () => {
    const facts = {
      dlqTopic: 'payments.initiated.dlq',
      dlqPartition: 2,
      dlqOffset: '14',
      failedAt: '2026-01-01T00:00:03.000Z',
      sourceTopic: 'payments.initiated',
      sourcePartition: 2,
      sourceOffset: '41',
      consumerGroup: 'payflow-billing',
      code: 'POISON_RECORD',
      message: 'not a valid event',
    };
    expect(deadLetterEntry(facts)).toEqual({
      id: 'dlq:payments.initiated.dlq:2:14',
      entry: {
        kind: 'dead-lettered',
        at: facts.failedAt,
        topic: 'payments.initiated',
        consumerGroup: 'payflow-billing',
        code: 'POISON_RECORD',
        message: 'not a valid event',
        partition: 2,
        offset: '41',
      },
    });
  });
});
