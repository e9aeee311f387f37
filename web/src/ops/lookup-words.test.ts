import { describe, expect, it } from 'vitest';
import { entryWords } from './lookup-words.js';

const at = '2026-12-01T10:00:00.000Z';

describe("the lookup's words", () => {
  it('names the charge id, the order id and the reason of a decline', () => {
    expect(entryWords({ kind: 'PaymentSucceeded', at, chargeId: 'ch_1' })).toMatchObject({
      what: 'Charged by Billing Gates',
      details: ['charge id ch_1'],
      tone: 'ok',
    });
    expect(entryWords({ kind: 'OrderConfirmed', at, orderId: 'o_1' }).details).toEqual(['order id o_1']);
    expect(entryWords({ kind: 'PaymentFailed', at, reason: { code: 'CARD_DECLINED', message: 'The card was declined.' } })).toMatchObject({
      details: ['CARD_DECLINED: The card was declined.'],
      tone: 'bad',
    });
  });

  it("says the bank asked the shopper to confirm, until when, and what Billing Gates' webhook reported, as not yet checked", () => {
    const asked = entryWords({ kind: 'PaymentRequiresAction', at, chargeId: 'ch_1', expiresAt: at });
    expect(asked).toMatchObject({ what: 'The bank asked the shopper to confirm (3-D Secure)', tone: 'busy' });
    expect(asked.details).toEqual(['charge id ch_1', expect.stringMatching(/^the challenge expires at /)]);
    const declined = entryWords({
      kind: 'ChargeActionSettled',
      at,
      webhookEventId: 'evt_1',
      chargeId: 'ch_1',
      status: 'declined',
      declineCode: 'AUTHENTICATION_ABANDONED',
    });
    expect(declined).toMatchObject({ what: expect.stringContaining('checks it'), tone: 'plain' });
    expect(declined.details).toEqual(['charge id ch_1', 'webhook id evt_1', 'decline AUTHENTICATION_ABANDONED']);
    expect(entryWords({ kind: 'ChargeActionSettled', at, webhookEventId: 'evt_2', chargeId: 'ch_1', status: 'succeeded' }).what).toMatch(/shopper confirmed/);
  });

  it('shows a step being retried with its attempts and last error, and a dead letter with where it is', () => {
    const delayed = entryWords({
      kind: 'PaymentDelayed',
      at,
      step: 'charge',
      since: at,
      attempts: 7,
      lastError: { code: 'HTTP_503', message: 'Billing Gates answered 503' },
      notice: { code: 'BANK_SLOW', message: 'Your bank is not answering yet.' },
    });
    expect(delayed.what).toBe('Retrying: charging the card (Billing Gates)');
    expect(delayed.details).toEqual([
      expect.stringMatching(/^7 attempts since /),
      'last error HTTP_503: Billing Gates answered 503',
      'shopper told: Your bank is not answering yet.',
    ]);
    const dead = entryWords({
      kind: 'dead-lettered',
      at,
      topic: 'payments.initiated',
      consumerGroup: 'payflow-billing-worker',
      code: 'POISON_RECORD',
      message: 'bad',
      partition: 1,
      offset: '9',
    });
    expect(dead).toMatchObject({
      what: 'Dead-lettered by payflow-billing-worker',
      details: ['payments.initiated, partition 1, offset 9', 'POISON_RECORD: bad'],
    });
  });
});
