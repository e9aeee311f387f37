import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newEvent, type PaymentInitiated } from '../../contracts/index.js';
import { PermanentError } from '../../lib/downstream-error.js';
import { TransientDownstreamError } from '../common/downstream-client.js';
import { StepBudget } from '../common/step-budget.js';
import type { BillingGatesClient, FoundCharge } from './billing-gates-client.js';
import { chargePayment } from './charge-payment.js';

const initiated = newEvent(
  {
    type: 'PaymentInitiated',
    paymentId: randomUUID(),
    correlationId: 'c1',
    data: { planId: 'team', amount: { value: 2900, currency: 'EUR' }, customer: { email: 'a@example.com' }, paymentMethod: { token: 'pm_ok' } },
  },
  new Date('2026-01-01T00:00:00Z'),
) as PaymentInitiated;
const unavailable = () => Promise.reject(new TransientDownstreamError('billing-gates', 'HTTP 500', { effect: 'none' }));

/** A Billing Gates whose calls behave as given; counts the charges asked for. */
function gates(calls: { charge?: () => Promise<unknown>; findCharge?: () => Promise<FoundCharge> }) {
  const counts = { charges: 0 };
  const client = {
    charge: () => {
      counts.charges += 1;
      return (calls.charge ?? (() => Promise.resolve({ outcome: 'charged', chargeId: 'ch_1' })))();
    },
    findCharge: calls.findCharge ?? unavailable,
  } as unknown as BillingGatesClient;
  return { client, counts };
}

/** The record as the consumer hands it over, first seen by the worker group `ageMs` ago. */
const seenFor = (ageMs: number) => ({ seen: { ageMs: () => ageMs, firstHere: true } });

describe('chargePayment', () => {
  it('within the budget, a failing charge is passed on to be retried', async () => {
    await expect(chargePayment(gates({ charge: unavailable }).client, new StepBudget(60_000))(initiated, seenFor(59_000))).rejects.toBeInstanceOf(TransientDownstreamError);
  });

  it('past the budget, the retry asks Billing Gates instead of charging, and "not charged" only when it says so', async () => {
    const budget = new StepBudget(60_000);
    const first = gates({ charge: unavailable });
    await expect(chargePayment(first.client, budget)(initiated, seenFor(61_000))).rejects.toBeInstanceOf(TransientDownstreamError);
    const retry = gates({ findCharge: () => Promise.resolve({ outcome: 'none' }) });
    const event = await chargePayment(retry.client, budget)(initiated, seenFor(61_000));
    expect(event).toMatchObject({ type: 'PaymentFailed', data: { reason: { code: 'NOT_CHARGED', message: expect.stringMatching(/not been charged/) } } });
    expect(retry.counts.charges).toBe(0);
  });

  it('past the budget, a charge Billing Gates made is PaymentSucceeded, and one it declined is PaymentFailed', async () => {
    const charged = gates({ charge: unavailable, findCharge: () => Promise.resolve({ outcome: 'charged', chargeId: 'ch_9' }) });
    await expect(chargePayment(charged.client, new StepBudget(60_000))(initiated, seenFor(61_000))).resolves.toMatchObject({ type: 'PaymentSucceeded', data: { chargeId: 'ch_9' } });
    const declined = gates({ charge: unavailable, findCharge: () => Promise.resolve({ outcome: 'declined', reason: { code: 'CARD_DECLINED', message: 'no' } }) });
    await expect(chargePayment(declined.client, new StepBudget(60_000))(initiated, seenFor(61_000))).resolves.toMatchObject({ type: 'PaymentFailed', data: { reason: { code: 'CARD_DECLINED' } } });
  });

  it('when the lookup fails too, the error is passed on: nobody is told "not charged" on a guess', async () => {
    await expect(chargePayment(gates({ charge: unavailable }).client, new StepBudget(60_000))(initiated, seenFor(61_000))).rejects.toBeInstanceOf(TransientDownstreamError);
  });

  it('a charge refused for good is looked up, not dead-lettered', async () => {
    const refused = gates({ charge: () => Promise.reject(new PermanentError('BILLING_GATES_REFUSED', 'refused')), findCharge: () => Promise.resolve({ outcome: 'none' }) });
    await expect(chargePayment(refused.client, new StepBudget(60_000))(initiated, seenFor(0))).resolves.toMatchObject({ type: 'PaymentFailed', data: { reason: { code: 'NOT_CHARGED' } } });
  });

  it('a backlog record past its budget still gets one charge first', async () => {
    const backlog = gates({});
    await expect(chargePayment(backlog.client, new StepBudget(60_000))(initiated, seenFor(600_000))).resolves.toMatchObject({ type: 'PaymentSucceeded' });
    expect(backlog.counts.charges).toBe(1);
  });

  it('a charge refused for capacity is retried after its Retry-After, but not later than the end of the budget', async () => {
    const busy = (retryAfterMs: number) => () => Promise.reject(new TransientDownstreamError('billing-gates', 'HTTP 429', { retryAfterMs, effect: 'none' }));
    await expect(chargePayment(gates({ charge: busy(2_000) }).client, new StepBudget(60_000))(initiated, seenFor(10_000))).rejects.toMatchObject({ retryAfterMs: 2_000 });
    await expect(chargePayment(gates({ charge: busy(30_000) }).client, new StepBudget(60_000))(initiated, seenFor(59_000))).rejects.toMatchObject({ retryAfterMs: 1_000 });
  });
});
