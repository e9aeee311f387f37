import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PaymentDelayed } from '../../contracts/index.js';
import { PermanentError } from '../../lib/downstream-error.js';
import { DelayTracker } from './delay-tracker.js';
import { TransientDownstreamError, type DownstreamEffect } from './downstream-client.js';
import { StepBudget } from './step-budget.js';

const refused = () => new TransientDownstreamError('billing-gates', 'HTTP 503', { effect: 'none' });
const timedOut = () => new TransientDownstreamError('billing-gates', 'no answer within 5000 ms', { effect: 'unknown' });

function tracking(step: 'charge' | 'order' | 'refund' = 'charge', afterMs = 15_000) {
  const clock = { ms: Date.parse('2026-01-01T00:00:00Z') };
  const notices: PaymentDelayed[] = [];
  const tracker = new DelayTracker({ step, afterMs, publish: (notice) => notices.push(notice), now: () => clock.ms });
  const event = { eventId: randomUUID(), paymentId: randomUUID(), correlationId: 'c1' };
  /** Fails the step `times` times, `everyMs` apart, starting now; the record is first seen by this worker unless told otherwise. */
  const failFor = (times: number, everyMs: number, error: () => TransientDownstreamError = refused, seen = { firstHere: true }) => {
    for (let i = 0; i < times; i++) {
      tracker.failed(event, error(), seen);
      clock.ms += everyMs;
    }
  };
  return { clock, notices, tracker, event, failFor };
}

describe('DelayTracker', () => {
  it('says nothing while the step has failed for less than the threshold', () => {
    const { notices, failFor } = tracking();
    failFor(15, 1_000); // the 15th failure is at 14 s
    expect(notices).toEqual([]);
  });

  it('once a charge has kept failing past the threshold, publishes PaymentDelayed with the first failure, the attempts and the last error, saying nothing was charged', () => {
    const { notices, failFor, event } = tracking();
    failFor(16, 1_000); // the 16th failure is at 15 s
    expect(notices).toHaveLength(1);
    const [notice] = notices;
    expect(PaymentDelayed.parse(notice)).toEqual(notice); // a valid record on payments.notices
    expect(notice).toMatchObject({
      type: 'PaymentDelayed',
      paymentId: event.paymentId,
      correlationId: 'c1',
      data: {
        step: 'charge',
        since: '2026-01-01T00:00:00.000Z',
        attempts: 16,
        lastError: { code: 'DOWNSTREAM_UNAVAILABLE', message: 'billing-gates is unavailable (HTTP 503); will retry' },
        notice: { code: 'CHARGE_DELAYED', message: 'Your bank is not answering yet; nothing has been charged; we keep trying.' },
      },
    });
  });

  it('repeats the notice every threshold while the step still fails, not on every failure', () => {
    const { notices, failFor } = tracking();
    failFor(61, 1_000); // failures from 0 s to 60 s
    expect(notices.map((notice) => notice.data.attempts)).toEqual([16, 31, 46, 61]);
  });

  it('once any failure may have charged (a timeout), never says that nothing has been charged again', () => {
    const { notices, failFor } = tracking();
    failFor(1, 1_000, timedOut);
    failFor(30, 1_000, refused);
    expect(notices.map((notice) => notice.data.notice.code)).toEqual(['CHARGE_DELAYED_UNCERTAIN', 'CHARGE_DELAYED_UNCERTAIN']);
    expect(notices[0]!.data.notice.message).not.toMatch(/nothing has been charged/);
    expect(notices[0]!.data.notice.message).toMatch(/not be charged twice/);
  });

  it('a charge another worker may have tried before (its record was in the partition before this worker got it, or is replayed) is not said to have charged nothing', () => {
    const { notices, failFor } = tracking();
    // The worker that tried it first may have timed out and died; this one only sees refusals.
    failFor(16, 1_000, refused, { firstHere: false });
    expect(notices.map((notice) => notice.data.notice.code)).toEqual(['CHARGE_DELAYED_UNCERTAIN']);
  });

  it('once one delivery of the record may have been handled elsewhere, later ones first seen here do not make it certain again', () => {
    const { notices, failFor } = tracking();
    failFor(1, 1_000, refused, { firstHere: false });
    failFor(30, 1_000, refused);
    expect(notices.map((notice) => notice.data.notice.code)).toEqual(['CHARGE_DELAYED_UNCERTAIN', 'CHARGE_DELAYED_UNCERTAIN']);
  });

  it.each([
    ['order', 'ORDER_DELAYED', 'Your payment went through; we are still setting up your account.'],
    ['refund', 'REFUND_DELAYED', /returning your payment/],
  ] as const)('a %s step that keeps failing gets its own words', (step, code, message) => {
    const { notices, failFor } = tracking(step);
    failFor(20, 1_000, timedOut);
    expect(notices[0]!.data).toMatchObject({ step, notice: { code, message: expect.stringMatching(message) } });
  });

  it('forgets an event once its step ends: a later failure starts a new wait', () => {
    const { notices, failFor, tracker, event } = tracking();
    failFor(16, 1_000);
    tracker.ended(event);
    expect(tracker.size).toBe(0);
    failFor(15, 1_000);
    expect(notices).toHaveLength(1);
  });

  it('drops an event that stopped failing here without ending (its record went to another member)', () => {
    const { clock, failFor, tracker } = tracking('charge', 1_000);
    failFor(1, 1_000);
    clock.ms += 300_000;
    const other = tracking('charge', 1_000);
    tracker.failed({ ...other.event }, refused(), { firstHere: true });
    expect(tracker.size).toBe(1);
  });
});

describe('StepBudget with a DelayTracker', () => {
  const event = () => ({ eventId: randomUUID(), paymentId: randomUUID(), correlationId: 'c1' });
  const record = (signal?: AbortSignal) => ({ signal, seen: { ageMs: () => 0, firstHere: true } });
  const failing = (effect: DownstreamEffect) => () => Promise.reject(new TransientDownstreamError('billing-gates', 'down', { effect }));

  it('tells the tracker of each transient failure and forgets the event when the step ends with an outcome', async () => {
    const notices: PaymentDelayed[] = [];
    const delays = new DelayTracker({ step: 'charge', afterMs: 1, publish: (notice) => notices.push(notice) });
    const budget = new StepBudget(60_000, { delays });
    const paid = event();
    await expect(budget.run(paid, record(), { attempt: failing('none'), giveUp: () => Promise.resolve('given up') })).rejects.toBeInstanceOf(
      TransientDownstreamError,
    );
    expect(delays.size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(budget.run(paid, record(), { attempt: failing('none'), giveUp: () => Promise.resolve('given up') })).rejects.toBeInstanceOf(
      TransientDownstreamError,
    );
    expect(notices.map((notice) => notice.data.attempts)).toEqual([2]);
    await expect(budget.run(paid, record(), { attempt: () => Promise.resolve('charged'), giveUp: () => Promise.resolve('given up') })).resolves.toBe('charged');
    expect(delays.size).toBe(0);
  });

  it('a try cancelled by a stop is not a failure, and a permanent refusal ends the step', async () => {
    const delays = new DelayTracker({ step: 'charge', afterMs: 1, publish: () => undefined });
    const budget = new StepBudget(60_000, { delays });
    const stopping = new AbortController();
    stopping.abort();
    await expect(
      budget.run(event(), record(stopping.signal), { attempt: failing('unknown'), giveUp: () => Promise.resolve('given up') }),
    ).rejects.toBeInstanceOf(TransientDownstreamError);
    expect(delays.size).toBe(0);

    const refusedForGood = event();
    await expect(budget.run(refusedForGood, record(), { attempt: failing('none'), giveUp: () => Promise.resolve('x') })).rejects.toBeInstanceOf(
      TransientDownstreamError,
    );
    expect(delays.size).toBe(1);
    const giveUp = () => Promise.reject(new PermanentError('BILLING_GATES_REFUSED', 'refused'));
    await expect(budget.run(refusedForGood, record(), { attempt: () => Promise.reject(new PermanentError('X', 'no')), giveUp })).rejects.toBeInstanceOf(
      PermanentError,
    );
    expect(delays.size).toBe(0);
  });
});
