import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newEvent, type PaymentSucceeded } from '../../contracts/index.js';
import { TokenCipher } from '../../lib/token-cipher.js';
import { TransientDownstreamError } from '../common/downstream-client.js';
import { completeOrder } from './complete-order.js';
import type { UdiClient } from './udi-client.js';

const charged = newEvent(
  {
    type: 'PaymentSucceeded',
    paymentId: randomUUID(),
    correlationId: 'c1',
    data: { chargeId: 'ch_1', planId: 'team', amount: { value: 2900, currency: 'EUR' }, customer: { email: 'a@example.com' } },
  },
  new Date('2026-01-01T00:00:00Z'),
) as PaymentSucceeded;
const chargedAt = Date.parse(charged.occurredAt);
const cipher = new TokenCipher([{ id: 'k1', key: randomBytes(32) }]);

/** A Udi that is down: every call fails as a timeout would. */
const udiDown = {
  createOrder: () => Promise.reject(new TransientDownstreamError('udi', 'connection refused')),
  confirmOrder: () => Promise.reject(new TransientDownstreamError('udi', 'connection refused')),
} as unknown as UdiClient;

const udiUp = {
  createOrder: () => Promise.resolve({ outcome: 'created', orderId: 'o_1' }),
  confirmOrder: () => Promise.resolve({ orderId: 'o_1', ssoToken: 'tok', expiresAt: '2026-01-01T00:01:00.000Z' }),
} as unknown as UdiClient;

describe('completeOrder', () => {
  it('confirms the order and carries the SSO token sealed, never in the clear', async () => {
    const event = await completeOrder(udiUp, charged, { deadlineMs: 1_000, cipher });
    expect(event).toMatchObject({ type: 'OrderConfirmed', paymentId: charged.paymentId, data: { orderId: 'o_1' } });
    if (event.type !== 'OrderConfirmed') throw new Error('not confirmed');
    expect(JSON.stringify(event)).not.toContain('"tok"');
    expect(cipher.decrypt(event.data.encryptedSsoToken)).toBe('tok');
  });

  it('while Udi fails within the deadline, the error is passed on so the record is retried', async () => {
    await expect(completeOrder(udiDown, charged, { deadlineMs: 60_000, cipher, now: () => chargedAt + 59_000 })).rejects.toBeInstanceOf(TransientDownstreamError);
  });

  it('once Udi has failed past the deadline, the order fails so the charge is refunded', async () => {
    const event = await completeOrder(udiDown, charged, { deadlineMs: 60_000, cipher, now: () => chargedAt + 61_000 });
    expect(event).toMatchObject({ type: 'OrderFailed', data: { chargeId: 'ch_1', reason: { code: 'ORDER_NOT_COMPLETED' } } });
  });

  it('past the deadline, an order Udi completes is still confirmed', async () => {
    const event = await completeOrder(udiUp, charged, { deadlineMs: 60_000, cipher, now: () => chargedAt + 600_000 });
    expect(event.type).toBe('OrderConfirmed');
  });
});
