import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newEvent, type PaymentSucceeded } from '../../contracts/index.js';
import { PermanentError } from '../../lib/downstream-error.js';
import { TokenCipher } from '../../lib/token-cipher.js';
import { TransientDownstreamError } from '../common/downstream-client.js';
import { StepBudget } from '../common/step-budget.js';
import { completeOrder } from './complete-order.js';
import type { FoundOrder, UdiClient } from './udi-client.js';

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

const unavailable = () => Promise.reject(new TransientDownstreamError('udi', 'connection refused', { effect: 'none' }));
const confirmation = () => Promise.resolve({ orderId: 'o_1', ssoToken: 'tok', expiresAt: '2026-01-01T00:01:00.000Z' });

/** A Udi whose calls behave as given; counts the orders it is asked to create. */
function udi(calls: { createOrder?: () => Promise<unknown>; confirmOrder?: () => Promise<unknown>; findOrder?: () => Promise<FoundOrder> }) {
  const counts = { created: 0 };
  const client = {
    createOrder: () => {
      counts.created += 1;
      return (calls.createOrder ?? (() => Promise.resolve({ outcome: 'created', orderId: 'o_1' })))();
    },
    confirmOrder: calls.confirmOrder ?? confirmation,
    findOrder: calls.findOrder ?? unavailable,
  } as unknown as UdiClient;
  return { client, counts };
}

const udiUp = udi({}).client;
/** Down: every call fails as a timeout would, the lookup included. */
const udiDown = udi({ createOrder: unavailable, confirmOrder: unavailable }).client;

const options = () => ({ cipher, budget: new StepBudget(60_000) });
/** The record as the consumer hands it over, first seen by the worker group `ageMs` ago. */
const seenFor = (ageMs: number, signal?: AbortSignal) => ({ signal, seen: { ageMs: () => ageMs, firstHere: true } });

describe('completeOrder', () => {
  it('confirms the order and carries the SSO token sealed, never in the clear', async () => {
    const event = await completeOrder(udiUp, charged, options(), seenFor(0));
    expect(event).toMatchObject({ type: 'OrderConfirmed', paymentId: charged.paymentId, data: { orderId: 'o_1' } });
    if (event.type !== 'OrderConfirmed') throw new Error('not confirmed');
    expect(JSON.stringify(event)).not.toContain('"tok"');
    expect(cipher.decrypt(event.data.encryptedSsoToken)).toBe('tok');
  });

  it('while Udi fails within the deadline, the error is passed on so the record is retried', async () => {
    await expect(completeOrder(udiDown, charged, options(), seenFor(59_000))).rejects.toBeInstanceOf(TransientDownstreamError);
  });

  it('once Udi has failed past the deadline and its lookup finds no confirmed order, the order fails so the charge is refunded', async () => {
    for (const found of [{ status: 'none' }, { status: 'created', orderId: 'o_1' }] as const) {
      const { client } = udi({ createOrder: unavailable, findOrder: () => Promise.resolve(found) });
      const event = await completeOrder(client, charged, options(), seenFor(61_000));
      expect(event).toMatchObject({ type: 'OrderFailed', data: { chargeId: 'ch_1', reason: { code: 'ORDER_NOT_COMPLETED' } } });
    }
  });

  it('once Udi has failed past the deadline and cannot be asked either, the error is passed on: nothing is refunded on a guess', async () => {
    await expect(completeOrder(udiDown, charged, options(), seenFor(61_000))).rejects.toBeInstanceOf(TransientDownstreamError);
  });

  it('past the deadline, an order Udi confirmed whose answer was lost is confirmed again with a fresh token, not refunded', async () => {
    const { client } = udi({ confirmOrder: unavailable, findOrder: () => Promise.resolve({ status: 'confirmed', orderId: 'o_1' }) });
    const budget = new StepBudget(60_000);
    // The first try loses the confirm's answer, and so does the confirm asked again: nothing is given up.
    await expect(completeOrder(client, charged, { cipher, budget }, seenFor(61_000))).rejects.toBeInstanceOf(TransientDownstreamError);
    // Once Udi answers, the retry asks it, finds the order confirmed and confirms again.
    const again = udi({ confirmOrder: confirmation, findOrder: () => Promise.resolve({ status: 'confirmed', orderId: 'o_1' }) });
    const event = await completeOrder(again.client, charged, { cipher, budget }, seenFor(61_000));
    expect(event).toMatchObject({ type: 'OrderConfirmed', data: { orderId: 'o_1' } });
    expect(again.counts.created).toBe(0);
  });

  it('past the deadline, an order Udi completes on the first try is still confirmed', async () => {
    const event = await completeOrder(udiUp, charged, options(), seenFor(600_000));
    expect(event.type).toBe('OrderConfirmed');
  });

  it('past the deadline, a record already tried here is reconciled without asking Udi to create the order again', async () => {
    const budget = new StepBudget(60_000);
    const first = udi({ createOrder: unavailable, findOrder: unavailable });
    await expect(completeOrder(first.client, charged, { cipher, budget }, seenFor(61_000))).rejects.toBeInstanceOf(TransientDownstreamError);
    const retry = udi({ findOrder: () => Promise.resolve({ status: 'none' }) });
    await expect(completeOrder(retry.client, charged, { cipher, budget }, seenFor(61_000))).resolves.toMatchObject({ type: 'OrderFailed' });
    expect(retry.counts.created).toBe(0);
  });

  it('a confirmation Udi refuses for good becomes OrderFailed (refund), never a dead letter', async () => {
    const { client } = udi({
      confirmOrder: () => Promise.reject(new PermanentError('UDI_REFUSED', 'udi refused the confirmation (ORDER_NOT_CONFIRMABLE)')),
      findOrder: () => Promise.resolve({ status: 'created', orderId: 'o_1' }),
    });
    const event = await completeOrder(client, charged, options(), seenFor(0));
    expect(event).toMatchObject({ type: 'OrderFailed', data: { chargeId: 'ch_1', reason: { code: 'ORDER_REFUSED' } } });
  });

  it('while the consumer is stopping, nothing is given up: the error is passed on and the record redelivered', async () => {
    const stopping = new AbortController();
    stopping.abort();
    const { client } = udi({ createOrder: unavailable, findOrder: () => Promise.resolve({ status: 'none' }) });
    await expect(completeOrder(client, charged, options(), seenFor(61_000, stopping.signal))).rejects.toBeInstanceOf(TransientDownstreamError);
  });
});
