import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newEvent, type OrderFailed } from '../../contracts/index.js';
import { PermanentError } from '../../lib/downstream-error.js';
import { createLogger } from '../../lib/logger.js';
import type { CancelOutcome } from '../common/cancel-order.js';
import { TransientDownstreamError } from '../common/downstream-client.js';
import { StepBudget } from '../common/step-budget.js';
import type { BillingGatesClient } from './billing-gates-client.js';
import type { RefundAlert } from './refund-alert.js';
import { refundCharge } from './refund-charge.js';

const orderFailed = newEvent(
  { type: 'OrderFailed', paymentId: randomUUID(), correlationId: 'c1', data: { chargeId: 'ch_1', reason: { code: 'ORDER_REFUSED', message: 'Refused.' } } },
  new Date('2026-01-01T00:00:00Z'),
) as OrderFailed;
const unavailable = () => Promise.reject(new TransientDownstreamError('udi', 'HTTP 503', { effect: 'none' }));

/** Billing Gates and Udi answering as given, for a record first seen `msAfter` ago; counts the refunds asked for and the alerts raised. */
function refunder(calls: { cancelOrder: () => Promise<CancelOutcome>; refund?: () => Promise<string> }, msAfter = 0) {
  const counts = { refunds: 0, alerts: 0 };
  const gates = {
    refund: () => {
      counts.refunds += 1;
      return (calls.refund ?? (() => Promise.resolve('re_1')))();
    },
  } as unknown as BillingGatesClient;
  const alert: RefundAlert = () => void (counts.alerts += 1);
  const budget = new StepBudget(60_000);
  const handle = refundCharge({ gates, cancelOrder: calls.cancelOrder, budget, alert, logger: createLogger('test', 'silent') });
  // The record as the consumer hands it over, first seen by the worker group `msAfter` ago.
  const refund = (event: OrderFailed) => handle(event, { seen: { ageMs: () => msAfter, firstHere: true } });
  return { refund, counts };
}

describe('refundCharge', () => {
  it('refunds once Udi has cancelled the order, or barred a payment that had none', async () => {
    for (const orderId of ['o_1', null]) {
      const { refund, counts } = refunder({ cancelOrder: () => Promise.resolve({ status: 'cancelled', orderId }) });
      await expect(refund(orderFailed)).resolves.toMatchObject({ type: 'PaymentRefunded', data: { refundId: 're_1', reason: { code: 'ORDER_REFUSED' } } });
      expect(counts.refunds).toBe(1);
    }
  });

  it('never refunds an order Udi confirmed: a permanent failure with its own code (dead letter), not a failed refund', async () => {
    const { refund, counts } = refunder({ cancelOrder: () => Promise.resolve({ status: 'confirmed', orderId: 'o_1' }) });
    await expect(refund(orderFailed)).rejects.toMatchObject({ code: 'ORDER_CONFIRMED_NOT_REFUNDED' });
    await expect(refund(orderFailed)).rejects.toBeInstanceOf(PermanentError);
    expect(counts).toEqual({ refunds: 0, alerts: 0 });
  });

  it('while Udi does not answer, nothing is refunded and the record waits; past the refund budget it becomes RefundFailed for an operator', async () => {
    const within = refunder({ cancelOrder: unavailable }, 59_000);
    await expect(within.refund(orderFailed)).rejects.toBeInstanceOf(TransientDownstreamError);
    expect(within.counts.refunds).toBe(0);

    const past = refunder({ cancelOrder: unavailable }, 61_000);
    await expect(past.refund(orderFailed)).resolves.toMatchObject({ type: 'RefundFailed', data: { reason: { code: 'REFUND_FAILED' } } });
    expect(past.counts).toEqual({ refunds: 0, alerts: 1 });
  });

  it('a refund Billing Gates refuses becomes RefundFailed and alerts an operator', async () => {
    const { refund, counts } = refunder({
      cancelOrder: () => Promise.resolve({ status: 'cancelled', orderId: 'o_1' }),
      refund: () => Promise.reject(new PermanentError('BILLING_GATES_REFUSED', 'refused')),
    });
    await expect(refund(orderFailed)).resolves.toMatchObject({ type: 'RefundFailed' });
    expect(counts.alerts).toBe(1);
  });
});
