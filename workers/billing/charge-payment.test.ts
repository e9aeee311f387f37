import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newEvent, type PaymentInitiated } from '../../contracts/index.js';
import { PermanentError } from '../../lib/downstream-error.js';
import { TransientDownstreamError } from '../common/downstream-client.js';
import { GiveUpRefusedError, StepBudget } from '../common/step-budget.js';
import type { BillingGatesClient, ChargeResult } from './billing-gates-client.js';
import { chargePayment } from './charge-payment.js';
import type { ChargeUnresolvedAlert } from './charge-unresolved-alert.js';

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
function gates(calls: { charge?: () => Promise<unknown>; voidCharge?: () => Promise<ChargeResult> }) {
  const counts = { charges: 0, voids: 0 };
  const client = {
    charge: () => {
      counts.charges += 1;
      return (calls.charge ?? (() => Promise.resolve({ outcome: 'charged', chargeId: 'ch_1' })))();
    },
    voidCharge: () => {
      counts.voids += 1;
      return (calls.voidCharge ?? unavailable)();
    },
  } as unknown as BillingGatesClient;
  return { client, counts };
}

/** The alerts raised, by paymentId. */
function alerts() {
  const raised: Array<{ paymentId: string; code: string }> = [];
  const alert: ChargeUnresolvedAlert = ({ paymentId, refusal }) => void raised.push({ paymentId, code: refusal.code });
  return { alert, raised };
}
const noAlert = alerts().alert;
/** The shopper may take 15 minutes at their bank's challenge, counted on a fixed clock. */
const ACTION = { deadlineMs: 900_000, now: () => Date.parse('2026-01-01T00:00:05Z') };
/** The record as the consumer hands it over, first seen by the worker group `ageMs` ago. */
const seenFor = (ageMs: number) => ({ seen: { ageMs: () => ageMs, firstHere: true } });
/** A 60 s budget, with the record first seen by the group `msAfter` ago. */
const budgetAt = (msAfter: number) => ({ budget: new StepBudget(60_000), record: seenFor(msAfter) });
const charge =
  (client: BillingGatesClient, { budget, record }: ReturnType<typeof budgetAt>) =>
  (event: PaymentInitiated) =>
    chargePayment(client, budget, noAlert, ACTION)(event, record);
const refused = () => Promise.reject(new PermanentError('BILLING_GATES_REFUSED', 'billing-gates refused the void (LOOKUP_REFUSED: refused)'));

describe('chargePayment', () => {
  it('within the budget, a failing charge is passed on to be retried', async () => {
    await expect(charge(gates({ charge: unavailable }).client, budgetAt(59_000))(initiated)).rejects.toBeInstanceOf(TransientDownstreamError);
  });

  it('past the budget, the retry voids the charge key instead of charging, and "not charged" only once the void says so', async () => {
    const budget = budgetAt(61_000);
    const first = gates({ charge: unavailable });
    await expect(charge(first.client, budget)(initiated)).rejects.toBeInstanceOf(TransientDownstreamError);
    const retry = gates({ voidCharge: () => Promise.resolve({ outcome: 'voided' }) });
    const event = await charge(retry.client, budget)(initiated);
    expect(event).toMatchObject({ type: 'PaymentFailed', data: { reason: { code: 'NOT_CHARGED', message: expect.stringMatching(/not been charged/) } } });
    expect(retry.counts).toEqual({ charges: 0, voids: 1 });
  });

  it('past the budget, a charge the void finds made is PaymentSucceeded, and one it finds declined is PaymentFailed', async () => {
    const charged = gates({ charge: unavailable, voidCharge: () => Promise.resolve({ outcome: 'charged', chargeId: 'ch_9' }) });
    await expect(charge(charged.client, budgetAt(61_000))(initiated)).resolves.toMatchObject({ type: 'PaymentSucceeded', data: { chargeId: 'ch_9' } });
    const declined = gates({
      charge: unavailable,
      voidCharge: () => Promise.resolve({ outcome: 'declined', reason: { code: 'CARD_DECLINED', message: 'no' } }),
    });
    await expect(charge(declined.client, budgetAt(61_000))(initiated)).resolves.toMatchObject({
      type: 'PaymentFailed',
      data: { reason: { code: 'CARD_DECLINED' } },
    });
  });

  it('when the void fails too, the error is passed on: nobody is told "not charged" on a guess', async () => {
    await expect(charge(gates({ charge: unavailable }).client, budgetAt(61_000))(initiated)).rejects.toBeInstanceOf(TransientDownstreamError);
  });

  it('a charge refused for good, or answered with a status other than succeeded, is voided, not dead-lettered nor taken as charged', async () => {
    for (const error of [new PermanentError('BILLING_GATES_REFUSED', 'refused'), new PermanentError('CHARGE_NOT_SUCCEEDED', 'status "requires_action"')]) {
      const notCharged = gates({ charge: () => Promise.reject(error), voidCharge: () => Promise.resolve({ outcome: 'voided' }) });
      await expect(charge(notCharged.client, budgetAt(0))(initiated)).resolves.toMatchObject({
        type: 'PaymentFailed',
        data: { reason: { code: 'NOT_CHARGED' } },
      });
      expect(notCharged.counts.voids).toBe(1);
    }
  });

  it('a redo after the give-up (the charge answers that its key was voided) fails as not charged again, without charging or voiding', async () => {
    const redo = gates({ charge: () => Promise.resolve({ outcome: 'voided' }) });
    await expect(charge(redo.client, budgetAt(0))(initiated)).resolves.toMatchObject({ type: 'PaymentFailed', data: { reason: { code: 'NOT_CHARGED' } } });
    expect(redo.counts).toEqual({ charges: 1, voids: 0 });
  });

  it('a void refused for good is asked again within the settle window, then the payment fails CHARGE_UNRESOLVED, without saying "not charged", and operators are alerted', async () => {
    const { alert, raised } = alerts();
    const refusing = gates({ charge: unavailable, voidCharge: refused });
    const budget = () => new StepBudget(60_000, { settleMs: 30_000 });
    await expect(chargePayment(refusing.client, budget(), alert, ACTION)(initiated, seenFor(61_000))).rejects.toBeInstanceOf(GiveUpRefusedError);
    expect(raised).toEqual([]);
    const event = await chargePayment(refusing.client, budget(), alert, ACTION)(initiated, seenFor(91_000));
    expect(event).toMatchObject({
      type: 'PaymentFailed',
      data: { reason: { code: 'CHARGE_UNRESOLVED', message: expect.stringContaining(initiated.paymentId) } },
    });
    expect((event as { data: { reason: { message: string } } }).data.reason.message).not.toMatch(/not (been )?charged/i);
    expect(raised).toEqual([{ paymentId: initiated.paymentId, code: 'BILLING_GATES_REFUSED' }]);
  });

  it('asks Billing Gates to keep the plan and the customer with the charge, for a settlement that comes later', async () => {
    let asked: unknown;
    const client = {
      charge: (input: unknown) => ((asked = input), Promise.resolve({ outcome: 'charged', chargeId: 'ch_1' })),
    } as unknown as BillingGatesClient;
    await charge(client, budgetAt(0))(initiated);
    expect(asked).toMatchObject({ metadata: { planId: 'team', customerEmail: 'a@example.com' } });
  });

  it("a charge that requires the shopper's action is PaymentRequiresAction, with where to go and until when; nothing is voided", async () => {
    const nextAction = { type: 'redirect', url: 'http://127.0.0.1:4001/challenges/chl_1' } as const;
    const pending = gates({ charge: () => Promise.resolve({ outcome: 'requires_action', chargeId: 'ch_7', nextAction }) });
    await expect(charge(pending.client, budgetAt(0))(initiated)).resolves.toMatchObject({
      type: 'PaymentRequiresAction',
      paymentId: initiated.paymentId,
      data: { chargeId: 'ch_7', nextAction, expiresAt: '2026-01-01T00:15:05.000Z' },
    });
    expect(pending.counts).toEqual({ charges: 1, voids: 0 });
  });

  it('a backlog record past its budget still gets one charge first', async () => {
    const backlog = gates({});
    await expect(charge(backlog.client, budgetAt(600_000))(initiated)).resolves.toMatchObject({ type: 'PaymentSucceeded' });
    expect(backlog.counts.charges).toBe(1);
  });

  it('a charge refused for capacity is retried after its Retry-After, but not later than the end of the budget', async () => {
    const busy = (retryAfterMs: number) => () => Promise.reject(new TransientDownstreamError('billing-gates', 'HTTP 429', { retryAfterMs, effect: 'none' }));
    await expect(charge(gates({ charge: busy(2_000) }).client, budgetAt(10_000))(initiated)).rejects.toMatchObject({ retryAfterMs: 2_000 });
    await expect(charge(gates({ charge: busy(30_000) }).client, budgetAt(59_000))(initiated)).rejects.toMatchObject({ retryAfterMs: 1_000 });
  });
});
