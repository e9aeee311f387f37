import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newEvent, type ChargeActionExpired } from '../../contracts/index.js';
import { createLogger } from '../../lib/logger.js';
import { TransientDownstreamError } from '../common/downstream-client.js';
import { StepBudget } from '../common/step-budget.js';
import type { BillingGatesClient, ChargeResult, LookupResult } from './billing-gates-client.js';
import { expireChargeAction } from './charge-action-expired.js';

const expired = newEvent({
  type: 'ChargeActionExpired',
  paymentId: randomUUID(),
  correlationId: 'c1',
  data: { expiresAt: '2026-01-01T00:15:00.000Z' },
}) as ChargeActionExpired;
const amount = { value: 2900, currency: 'EUR' };
const charged: LookupResult = { outcome: 'charged', chargeId: 'ch_1', amount, metadata: { planId: 'team', customerEmail: 'a@example.com' } };
const pending: LookupResult = { outcome: 'requires_action', chargeId: 'ch_1', nextAction: { type: 'redirect', url: 'http://x/c' } };
const record = (ageMs = 0) => ({ seen: { ageMs: () => ageMs, firstHere: true } });

/** A Billing Gates whose lookups answer in turn as given (the last one again), and whose void answers as given; counts the calls. */
function gates(lookups: Array<() => Promise<LookupResult>>, voidCharge: () => Promise<ChargeResult> = () => Promise.resolve({ outcome: 'voided' })) {
  const counts = { lookups: 0, voids: 0 };
  const client = {
    lookupCharge: () => lookups[Math.min((counts.lookups += 1), lookups.length) - 1]!(),
    voidCharge: () => ((counts.voids += 1), voidCharge()),
  } as unknown as BillingGatesClient;
  return { client, counts };
}
const expire = (client: BillingGatesClient, ageMs = 0) =>
  expireChargeAction(client, new StepBudget(60_000), () => undefined, createLogger('test', 'silent'))(expired, record(ageMs));

describe('expireChargeAction', () => {
  it('voids a charge Billing Gates still finds pending, at once: PaymentFailed AUTHENTICATION_ABANDONED, in words that say nothing was charged', async () => {
    const { client, counts } = gates([() => Promise.resolve(pending)]);
    await expect(expire(client)).resolves.toMatchObject({
      type: 'PaymentFailed',
      paymentId: expired.paymentId,
      data: { reason: { code: 'AUTHENTICATION_ABANDONED', message: expect.stringContaining('You have not been charged') } },
    });
    expect(counts).toEqual({ lookups: 1, voids: 1 });
  });

  it('a void that finds the charge made (the shopper answered at the last moment) publishes PaymentSucceeded from the lookup', async () => {
    const { client, counts } = gates([() => Promise.resolve(pending), () => Promise.resolve(charged)], () =>
      Promise.resolve({ outcome: 'charged', chargeId: 'ch_1' }),
    );
    await expect(expire(client)).resolves.toMatchObject({ type: 'PaymentSucceeded', data: { chargeId: 'ch_1', planId: 'team', amount } });
    expect(counts).toEqual({ lookups: 2, voids: 1 });
  });

  it('a charge already settled is taken as the lookup finds it, and nothing is voided', async () => {
    const reason = { code: 'AUTHENTICATION_ABANDONED', message: 'The payment was not confirmed with your bank in time.' };
    for (const [found, type] of [
      [charged, 'PaymentSucceeded'],
      [{ outcome: 'declined', reason }, 'PaymentFailed'],
    ] as const) {
      const { client, counts } = gates([() => Promise.resolve(found)]);
      await expect(expire(client)).resolves.toMatchObject({ type });
      expect(counts.voids).toBe(0);
    }
  });

  it('Billing Gates failing is retried within the budget, and past it the key is voided', async () => {
    const failing = () => Promise.reject(new TransientDownstreamError('billing-gates', 'HTTP 503', { effect: 'none' }));
    await expect(expire(gates([failing]).client)).rejects.toBeInstanceOf(TransientDownstreamError);
    const { client, counts } = gates([failing]);
    await expect(expire(client, 61_000)).resolves.toMatchObject({ type: 'PaymentFailed', data: { reason: { code: 'AUTHENTICATION_ABANDONED' } } });
    expect(counts.voids).toBe(1);
  });

  it('a payment Billing Gates has no charge for publishes nothing', async () => {
    const { client } = gates([() => Promise.resolve({ outcome: 'not_found' })]);
    await expect(expire(client)).resolves.toBeNull();
  });
});
