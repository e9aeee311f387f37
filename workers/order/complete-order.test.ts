import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newEvent, type PaymentEvent, type PaymentSucceeded } from '../../contracts/index.js';
import { PermanentError } from '../../lib/downstream-error.js';
import { TokenCipher } from '../../lib/token-cipher.js';
import type { CancelOutcome } from '../common/cancel-order.js';
import { TransientDownstreamError } from '../common/downstream-client.js';
import { GiveUpRefusedError, StepBudget } from '../common/step-budget.js';
import { completeOrder } from './complete-order.js';
import type { SignInAlert } from './sign-in-alert.js';
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
const cipher = new TokenCipher([{ id: 'k1', key: randomBytes(32) }]);
const DEADLINE_MS = 60_000;

const unavailable = () => Promise.reject(new TransientDownstreamError('udi', 'connection refused', { effect: 'none' }));
const refused = (code: string) => () => Promise.reject(new PermanentError('UDI_REFUSED', `udi refused the call (${code})`));
const confirmation = () => Promise.resolve({ orderId: 'o_1', ssoToken: 'tok', expiresAt: '2026-01-01T00:01:00.000Z' });
const cancelled = (): Promise<CancelOutcome> => Promise.resolve({ status: 'cancelled', orderId: 'o_1' });
const alreadyConfirmed = (): Promise<CancelOutcome> => Promise.resolve({ status: 'confirmed', orderId: 'o_1' });

/** A Udi whose calls behave as given; counts what it is asked to do. */
function udi(calls: { createOrder?: () => Promise<unknown>; confirmOrder?: () => Promise<unknown>; cancelOrder?: () => Promise<CancelOutcome> }) {
  const counts = { created: 0, confirmed: 0, cancelled: 0 };
  const client = {
    createOrder: () => {
      counts.created += 1;
      return (calls.createOrder ?? (() => Promise.resolve({ outcome: 'created', orderId: 'o_1' })))();
    },
    confirmOrder: () => {
      counts.confirmed += 1;
      return (calls.confirmOrder ?? confirmation)();
    },
    cancelOrder: () => {
      counts.cancelled += 1;
      return (calls.cancelOrder ?? unavailable)();
    },
  } as unknown as UdiClient;
  return { client, counts };
}

/** Every alert raised, in order. */
function alerts() {
  const raised: Parameters<SignInAlert>[0][] = [];
  return { raised, alert: (unavailable: Parameters<SignInAlert>[0]) => void raised.push(unavailable) };
}

/** The step's options, with the record first seen by the worker group `ageMs` ago. */
const at = (ageMs: number) => ({ cipher, budget: new StepBudget(DEADLINE_MS), alert: alerts().alert, ageMs });
/** Completes the charged payment's order with `options`, as the consumer would hand its record over. */
const complete = (client: UdiClient, options: ReturnType<typeof at>, signal?: AbortSignal): Promise<PaymentEvent> =>
  completeOrder(client, charged, options, { signal, seen: { ageMs: () => options.ageMs, firstHere: true } });

describe('completeOrder', () => {
  it('confirms the order and carries the SSO token sealed, never in the clear', async () => {
    const event = await complete(udi({}).client, at(0));
    expect(event).toMatchObject({ type: 'OrderConfirmed', paymentId: charged.paymentId, data: { orderId: 'o_1' } });
    if (event.type !== 'OrderConfirmed' || !('encryptedSsoToken' in event.data)) throw new Error('not confirmed with a token');
    expect(JSON.stringify(event)).not.toContain('"tok"');
    expect(cipher.decrypt(event.data.encryptedSsoToken)).toBe('tok');
  });

  it('while Udi fails within the deadline, the error is passed on so the record is retried', async () => {
    await expect(complete(udi({ createOrder: unavailable }).client, at(59_000))).rejects.toBeInstanceOf(TransientDownstreamError);
  });

  it('past the deadline, the order is cancelled in Udi before it fails, so the charge is refunded only once no confirmation can land', async () => {
    const { client, counts } = udi({ createOrder: unavailable, cancelOrder: cancelled });
    const event = await complete(client, at(61_000));
    expect(event).toMatchObject({ type: 'OrderFailed', data: { chargeId: 'ch_1', reason: { code: 'ORDER_NOT_COMPLETED' } } });
    expect(counts.cancelled).toBe(1);
  });

  it('past the deadline, a payment Udi has no order for is cancelled too (barred from having one) before the order fails', async () => {
    const { client } = udi({ createOrder: unavailable, cancelOrder: () => Promise.resolve({ status: 'cancelled', orderId: null }) });
    await expect(complete(client, at(61_000))).resolves.toMatchObject({ type: 'OrderFailed' });
  });

  it('past the deadline, while Udi cannot cancel either, the error is passed on: nothing is refunded on a guess', async () => {
    await expect(complete(udi({ createOrder: unavailable }).client, at(61_000))).rejects.toBeInstanceOf(TransientDownstreamError);
  });

  it('past the deadline, an order Udi confirmed whose answer was lost is confirmed again with a fresh token, not refunded', async () => {
    const budget = at(61_000).budget;
    // The first try loses the confirm's answer, and so does the confirm asked again: nothing is given up.
    const first = udi({ confirmOrder: unavailable, cancelOrder: alreadyConfirmed });
    await expect(complete(first.client, { ...at(61_000), budget })).rejects.toBeInstanceOf(TransientDownstreamError);
    // Once Udi answers, the retry cancels, hears the order is confirmed and confirms again.
    const again = udi({ cancelOrder: alreadyConfirmed });
    const event = await complete(again.client, { ...at(61_000), budget });
    expect(event).toMatchObject({ type: 'OrderConfirmed', data: { orderId: 'o_1', encryptedSsoToken: expect.any(String) } });
    expect(again.counts).toEqual({ created: 0, cancelled: 1, confirmed: 1 });
  });

  it('past the deadline, an order Udi completes on the first try is still confirmed', async () => {
    await expect(complete(udi({}).client, at(600_000))).resolves.toMatchObject({ type: 'OrderConfirmed' });
  });

  it('past the deadline, a record already tried here is given up without asking Udi to create the order again', async () => {
    const budget = at(61_000).budget;
    await expect(complete(udi({ createOrder: unavailable }).client, { ...at(61_000), budget })).rejects.toBeInstanceOf(TransientDownstreamError);
    const retry = udi({ cancelOrder: cancelled });
    await expect(complete(retry.client, { ...at(61_000), budget })).resolves.toMatchObject({ type: 'OrderFailed' });
    expect(retry.counts.created).toBe(0);
  });

  it('a confirmation Udi refuses for good is cancelled and becomes OrderFailed (refund), never a dead letter', async () => {
    const { client, counts } = udi({ confirmOrder: refused('ORDER_NOT_CONFIRMABLE'), cancelOrder: cancelled });
    const event = await complete(client, at(0));
    expect(event).toMatchObject({ type: 'OrderFailed', data: { chargeId: 'ch_1', reason: { code: 'ORDER_REFUSED' } } });
    expect(counts.cancelled).toBe(1);
  });

  it('a redo after the give-up (Udi answers the create ORDER_CANCELLED) fails the same way again and never confirms', async () => {
    const { client, counts } = udi({ createOrder: refused('ORDER_CANCELLED'), cancelOrder: cancelled });
    await expect(complete(client, at(0))).resolves.toMatchObject({ type: 'OrderFailed', data: { reason: { code: 'ORDER_REFUSED' } } });
    expect(counts.confirmed).toBe(0);
  });

  it('an order Udi rejects is cancelled before it fails with the rejection, and waits while the cancel cannot be made', async () => {
    const rejected = () => Promise.resolve({ outcome: 'rejected', reason: { code: 'ORDER_REJECTED', message: 'Plan team cannot be ordered right now.' } });
    const { client, counts } = udi({ createOrder: rejected, cancelOrder: cancelled });
    await expect(complete(client, at(0))).resolves.toMatchObject({ type: 'OrderFailed', data: { reason: { code: 'ORDER_REJECTED' } } });
    expect(counts).toMatchObject({ cancelled: 1, confirmed: 0 });
    await expect(complete(udi({ createOrder: rejected }).client, at(0))).rejects.toBeInstanceOf(TransientDownstreamError);
  });

  it('a confirmed order whose new sign-in token Udi refuses for good is asked again until the settle window ends, then ends confirmed without a token, and operators are alerted', async () => {
    const calls = { confirmOrder: refused('ORDER_NOT_CONFIRMABLE'), cancelOrder: alreadyConfirmed };
    const { raised, alert } = alerts();
    const within = { cipher, budget: new StepBudget(DEADLINE_MS), alert, ageMs: 2 * DEADLINE_MS - 1_000 };
    await expect(complete(udi(calls).client, within)).rejects.toBeInstanceOf(GiveUpRefusedError);
    expect(raised).toEqual([]);

    const past = { cipher, budget: new StepBudget(DEADLINE_MS), alert, ageMs: 2 * DEADLINE_MS + 1_000 };
    const event = await complete(udi(calls).client, past);
    expect(event).toMatchObject({ type: 'OrderConfirmed', data: { orderId: 'o_1', signInUnavailable: { code: 'SIGN_IN_UNAVAILABLE' } } });
    expect(raised).toEqual([{ paymentId: charged.paymentId, orderId: 'o_1', refusal: expect.any(PermanentError) }]);
  });

  it('a cancel Udi refuses for good leaves nothing known: past the settle window it is a permanent failure (dead letter), neither refunded nor confirmed', async () => {
    const { raised, alert } = alerts();
    const past = { cipher, budget: new StepBudget(DEADLINE_MS), alert, ageMs: 2 * DEADLINE_MS + 1_000 };
    const calls = { createOrder: unavailable, cancelOrder: refused('INVALID_REQUEST') };
    await expect(complete(udi(calls).client, past)).rejects.toMatchObject({ name: 'PermanentError', code: 'UDI_REFUSED' });
    expect(raised).toEqual([]);
  });

  it('while the consumer is stopping, nothing is given up: the error is passed on and the record redelivered', async () => {
    const stopping = new AbortController();
    stopping.abort();
    const { client, counts } = udi({ createOrder: unavailable, cancelOrder: cancelled });
    await expect(complete(client, at(61_000), stopping.signal)).rejects.toBeInstanceOf(TransientDownstreamError);
    expect(counts.cancelled).toBe(0);
  });
});
