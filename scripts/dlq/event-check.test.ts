import { describe, expect, it } from 'vitest';
import { topicsWithPrefix } from '../../contracts/index.js';
import { deadLetterAt, eventValue, FIXTURE_PAYMENT_ID, initiatedValue } from './dead-letter-fixtures.js';
import { deadLettersOf } from './dead-letters.js';
import { eventRefusal } from './event-check.js';

const topics = topicsWithPrefix('t1.');
const check = (fields: Parameters<typeof deadLetterAt>[0]) =>
  eventRefusal(deadLettersOf([deadLetterAt({ topic: topics.paymentsInitiated, ...fields })])[0]!, topics);
const OTHER_PAYMENT = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

describe('eventRefusal', () => {
  it('when the value is an event of its source topic keyed by its paymentId, it may be replayed', () => {
    expect(check({})).toBeUndefined();
  });

  it('when the other event type of a topic is replayed there, it may be replayed (RefundFailed on payments.refunded)', () => {
    const value = eventValue({
      type: 'RefundFailed',
      paymentId: FIXTURE_PAYMENT_ID,
      correlationId: 'c',
      data: { chargeId: 'ch_1', reason: { code: 'REFUND_FAILED', message: 'Refund refused.' } },
    });
    expect(check({ topic: topics.paymentsRefunded, value })).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"type":"PaymentInitiated"', /not a payment event \(record value is not JSON\)/],
    ['JSON but no event', '{"type":"PaymentInitiated","paymentId":"x"}', /not a payment event \(record is not a valid payment event: .+\)/],
    ['empty', '', /not a payment event \(record has no value\)/],
  ])('when the value is %s, it is refused', (_, value, reason) => {
    const why = check({ value });
    expect(why).toMatch(reason);
    expect(why).not.toContain('\n');
  });

  it("when the value holds another topic's event type, it is refused, naming the topic it belongs on", () => {
    const value = eventValue({
      type: 'OrderConfirmed',
      paymentId: FIXTURE_PAYMENT_ID,
      correlationId: 'c',
      data: { orderId: 'o_1', encryptedSsoToken: 'sealed', ssoTokenExpiresAt: '2026-12-01T10:05:00.000Z' },
    });
    expect(check({ value })).toBe('its event type OrderConfirmed belongs on t1.orders.confirmed, not on t1.payments.initiated');
  });

  it('when the key is another payment than the value names, it is refused', () => {
    expect(check({ key: OTHER_PAYMENT, value: initiatedValue(FIXTURE_PAYMENT_ID) })).toBe(
      `its key "${OTHER_PAYMENT}" is not its paymentId ${FIXTURE_PAYMENT_ID}`,
    );
  });
});
