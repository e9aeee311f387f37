import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  EVENTS,
  isTerminal,
  newEvent,
  SIGN_IN_UNAVAILABLE,
  STATUS_RANK,
  type DelayedStep,
  type NewEvent,
  type PaymentEvent,
  type PaymentEventType,
  type PaymentSnapshot,
  type PaymentStatusName,
} from '../../contracts/index.js';
import { acceptedSnapshot, alreadyShows, initialSnapshot, NEXT, projectSnapshot, statusAfter } from './project-snapshot.js';

const paymentId = randomUUID();
const ctx = { signInLandingUrl: 'http://127.0.0.1:4003/sso', now: new Date('2026-01-01T00:00:00Z') };
const reason = { code: 'CARD_DECLINED', message: 'The card was declined.' };
const ev = (fields: Omit<NewEvent, 'paymentId' | 'correlationId'>): PaymentEvent => newEvent({ ...fields, paymentId, correlationId: 'c1' } as NewEvent);

const succeeded = ev({
  type: 'PaymentSucceeded',
  data: { chargeId: 'ch_1', planId: 'team', amount: { value: 2900, currency: 'EUR' }, customer: { email: 'a@example.com' } },
});
const failed = ev({ type: 'PaymentFailed', data: { reason } });
const confirmed = ev({ type: 'OrderConfirmed', data: { orderId: 'o_1', encryptedSsoToken: 'tok', ssoTokenExpiresAt: '2026-01-01T00:01:00.000Z' } });
const orderFailed = ev({ type: 'OrderFailed', data: { chargeId: 'ch_1', reason } });
const refunded = ev({ type: 'PaymentRefunded', data: { chargeId: 'ch_1', refundId: 'r_1', reason } });
const refundReason = { code: 'REFUND_FAILED', message: `The automatic refund did not go through; reference ${paymentId}.` };
const refundFailed = ev({ type: 'RefundFailed', data: { chargeId: 'ch_1', reason: refundReason } });
const byHandReason = { code: 'REFUNDED_BY_SUPPORT', message: 'Our support team returned your payment.' };
const refundedByHand = ev({ type: 'RefundedByHand', data: { refundId: 're_by_hand', reason: byHandReason } });
const nextAction = { type: 'redirect' as const, url: 'http://127.0.0.1:4001/challenges/ch_1' };
const requiresAction = ev({ type: 'PaymentRequiresAction', data: { chargeId: 'ch_1', nextAction, expiresAt: '2026-01-01T00:10:00.000Z' } });
const actionSettled = ev({ type: 'ChargeActionSettled', data: { webhookEventId: 'evt_1', chargeId: 'ch_1', status: 'succeeded' } });
const initiated = ev({
  type: 'PaymentInitiated',
  data: { planId: 'team', amount: { value: 2900, currency: 'EUR' }, customer: { email: 'a@example.com' }, paymentMethod: { token: 'pm' } },
});

function fold(events: PaymentEvent[]): PaymentSnapshot {
  return events.reduce((snapshot, event) => projectSnapshot(snapshot, event, ctx) ?? snapshot, initialSnapshot(paymentId, ctx.now));
}

describe('projectSnapshot', () => {
  it('allows only moves to a later status by the rank clients order snapshots with', () => {
    const moves = Object.entries(NEXT).flatMap(([from, tos]) => tos.map((to) => [from as PaymentStatusName, to] as const));
    expect(moves.filter(([from, to]) => STATUS_RANK[to] <= STATUS_RANK[from])).toEqual([]);
  });

  it('starts a lost snapshot again from seq 0, so its next status may carry a seq the client has already seen', () => {
    const beforeLoss = fold([succeeded]);
    const rebuilt = fold([confirmed]);
    expect([beforeLoss.seq, rebuilt.seq]).toEqual([1, 1]);
    expect(STATUS_RANK[rebuilt.status]).toBeGreaterThan(STATUS_RANK[beforeLoss.status]);
  });

  it('moves processing → paid → confirmed and carries what the browser needs to sign in', () => {
    const snapshot = fold([succeeded, confirmed]);
    expect(snapshot).toMatchObject({ status: 'confirmed', seq: 2 });
    expect(snapshot.signIn).toEqual({ ssoToken: 'tok', expiresAt: '2026-01-01T00:01:00.000Z', landingUrl: ctx.signInLandingUrl });
  });

  it('an order confirmed without a sign-in token ends confirmed with the reason to sign in by hand, and nothing to sign in with', () => {
    const withoutToken = ev({ type: 'OrderConfirmed', data: { orderId: 'o_1', signInUnavailable: SIGN_IN_UNAVAILABLE } });
    const snapshot = fold([succeeded, withoutToken]);
    expect(snapshot).toMatchObject({ status: 'confirmed', seq: 2, reason: SIGN_IN_UNAVAILABLE });
    expect(snapshot.signIn).toBeUndefined();
    expect(statusAfter(withoutToken)).toBe('confirmed');
  });

  it('when OrderConfirmed is read before PaymentSucceeded, the payment still ends confirmed', () => {
    expect(fold([confirmed, succeeded])).toMatchObject({ status: 'confirmed', seq: 1 });
  });

  it('a declined payment fails with the reason to show', () => {
    expect(fold([failed])).toMatchObject({ status: 'failed', reason });
  });

  it('a paid payment whose order failed ends refunded, not failed', () => {
    expect(fold([succeeded, orderFailed, refunded])).toMatchObject({ status: 'refunded', seq: 2, reason });
  });

  it('a paid payment whose refund did not go through ends refund_failed with the reason, a terminal status for the shopper', () => {
    const snapshot = fold([succeeded, orderFailed, refundFailed]);
    expect(snapshot).toMatchObject({ status: 'refund_failed', seq: 2, reason: refundReason });
    expect(isTerminal(snapshot.status)).toBe(true);
    expect(fold([refundFailed])).toMatchObject({ status: 'refund_failed', seq: 1 });
  });

  it('a refund that lands after a failed one moves refund_failed on to refunded, and nothing moves it back', () => {
    expect(fold([succeeded, refundFailed, refunded])).toMatchObject({ status: 'refunded', seq: 3, reason });
    expect(fold([succeeded, refunded, refundFailed])).toMatchObject({ status: 'refunded', seq: 2 });
    expect(fold([succeeded, refundFailed, confirmed, failed])).toMatchObject({ status: 'refund_failed', seq: 2 });
  });

  it('a refund_failed payment whose charge an operator returned by hand is refunded, with the words for the shopper', () => {
    expect(fold([succeeded, orderFailed, refundFailed, refundedByHand])).toMatchObject({ status: 'refunded', seq: 3, reason: byHandReason });
    // Recorded twice, or after the automatic refund landed after all: nothing changes.
    expect(fold([succeeded, refundFailed, refundedByHand, refundedByHand])).toMatchObject({ status: 'refunded', seq: 3 });
    expect(fold([succeeded, refundFailed, refunded, refundedByHand])).toMatchObject({ status: 'refunded', seq: 3, reason });
  });

  it('redelivered events change nothing', () => {
    const once = fold([succeeded, confirmed]);
    expect(fold([succeeded, confirmed, succeeded, confirmed, confirmed])).toEqual(once);
    expect(projectSnapshot(once, confirmed, ctx)).toBeNull();
  });

  it('a charge that waits for the shopper moves processing to requires_action with where to confirm, and on to paid or failed without it', () => {
    const waiting = fold([requiresAction]);
    expect(waiting).toMatchObject({ status: 'requires_action', seq: 1, nextAction });
    expect(isTerminal(waiting.status)).toBe(false);
    expect(fold([requiresAction, succeeded])).toMatchObject({ status: 'paid', seq: 2 });
    expect(fold([requiresAction, succeeded]).nextAction).toBeUndefined();
    const declined = fold([requiresAction, failed]);
    expect(declined).toMatchObject({ status: 'failed', seq: 2, reason });
    expect(declined.nextAction).toBeUndefined();
  });

  it("requires_action read after the charge's outcome changes nothing; an order confirmed before PaymentSucceeded ends it confirmed", () => {
    expect(fold([succeeded, requiresAction])).toMatchObject({ status: 'paid', seq: 1 });
    expect(fold([failed, requiresAction])).toMatchObject({ status: 'failed', seq: 1 });
    expect(fold([requiresAction, confirmed, succeeded])).toMatchObject({ status: 'confirmed', seq: 2 });
    expect(fold([requiresAction, requiresAction])).toMatchObject({ status: 'requires_action', seq: 1 });
  });

  it("the webhook's settlement alone does not change what the shopper sees: the billing worker confirms it first", () => {
    expect(projectSnapshot(fold([requiresAction]), actionSettled, ctx)).toBeNull();
    expect(statusAfter(actionSettled)).toBeNull();
    expect(alreadyShows(fold([requiresAction]), actionSettled)).toBe(false);
    expect(alreadyShows(fold([requiresAction]), requiresAction)).toBe(true);
  });

  it('never moves backwards or out of a terminal status, in any order of arrival', () => {
    const events = [requiresAction, actionSettled, succeeded, failed, confirmed, orderFailed, refunded, refundFailed, refundedByHand];
    const rank = { processing: 0, requires_action: 1, paid: 2, confirmed: 3, failed: 3, refund_failed: 3, refunded: 4 } as const;
    for (let i = 0; i < 200; i++) {
      const shuffled = [...events, ...events].sort(() => Math.random() - 0.5);
      let snapshot = initialSnapshot(paymentId, ctx.now);
      for (const event of shuffled) {
        const next = projectSnapshot(snapshot, event, ctx);
        if (next === null) continue;
        expect(rank[next.status]).toBeGreaterThan(rank[snapshot.status]);
        expect(next.seq).toBe(snapshot.seq + 1);
        snapshot = next;
      }
    }
  });

  it('keeps the time the payment was accepted through every change, so the time to each status can be measured', () => {
    const accepted = acceptedSnapshot(paymentId, new Date('2025-12-31T23:59:58Z'));
    const paid = projectSnapshot(accepted, succeeded, ctx)!;
    const done = projectSnapshot(paid, confirmed, { ...ctx, now: new Date('2026-01-01T00:00:01Z') })!;
    expect([paid.acceptedAt, done.acceptedAt]).toEqual(['2025-12-31T23:59:58.000Z', '2025-12-31T23:59:58.000Z']);
    expect(fold([succeeded]).acceptedAt).toBeUndefined(); // started from no stored snapshot: unknown
  });

  it("moves each event to the status the lifecycle's table says, and no other", () => {
    const delayed = ev({
      type: 'PaymentDelayed',
      data: {
        step: 'charge',
        since: '2025-12-31T23:59:40.000Z',
        attempts: 2,
        lastError: { code: 'DOWNSTREAM_UNAVAILABLE', message: 'down' },
        notice: { code: 'CHARGE_DELAYED', message: 'Taking longer.' },
      },
    });
    const samples: Record<PaymentEventType, PaymentEvent> = {
      PaymentInitiated: initiated,
      PaymentSucceeded: succeeded,
      PaymentFailed: failed,
      OrderConfirmed: confirmed,
      OrderFailed: orderFailed,
      PaymentRefunded: refunded,
      RefundFailed: refundFailed,
      RefundedByHand: refundedByHand,
      PaymentDelayed: delayed,
      PaymentRequiresAction: requiresAction,
      ChargeActionSettled: actionSettled,
      ChargeActionExpired: ev({ type: 'ChargeActionExpired', data: { expiresAt: '2026-01-01T00:10:00.000Z' } }),
    };
    for (const type of EVENT_TYPES) expect({ type, status: statusAfter(samples[type]) }).toEqual({ type, status: EVENTS[type].movesTo });
  });

  it('PaymentInitiated and OrderFailed alone do not change what the shopper sees', () => {
    const start = initialSnapshot(paymentId, ctx.now);
    expect(projectSnapshot(start, initiated, ctx)).toBeNull();
    expect(projectSnapshot(fold([succeeded]), orderFailed, ctx)).toBeNull();
  });
});

describe('projectSnapshot with delay notices', () => {
  const delayed = (step: DelayedStep, code: string, message = `${code} words`) =>
    ev({
      type: 'PaymentDelayed',
      data: {
        step,
        since: '2025-12-31T23:59:40.000Z',
        attempts: 7,
        lastError: { code: 'DOWNSTREAM_UNAVAILABLE', message: 'billing-gates is unavailable (HTTP 503); will retry' },
        notice: { code, message },
      },
    });
  const chargeDelayed = delayed('charge', 'CHARGE_DELAYED', 'Your bank is not answering yet; nothing has been charged; we keep trying.');

  it('a charge notice while processing sets the notice with its time, one seq later, and keeps the status', () => {
    const start = acceptedSnapshot(paymentId, new Date('2025-12-31T23:59:38Z'));
    const next = projectSnapshot(start, chargeDelayed, ctx);
    expect(next).toEqual({
      ...start,
      seq: 1,
      updatedAt: ctx.now.toISOString(),
      notice: {
        code: 'CHARGE_DELAYED',
        message: 'Your bank is not answering yet; nothing has been charged; we keep trying.',
        since: '2025-12-31T23:59:40.000Z',
      },
    });
  });

  it('the same notice again changes nothing; different words replace it', () => {
    const once = fold([chargeDelayed]);
    expect(projectSnapshot(once, chargeDelayed, ctx)).toBeNull();
    expect(
      projectSnapshot(once, delayed('charge', 'CHARGE_DELAYED', 'Your bank is not answering yet; nothing has been charged; we keep trying.'), ctx),
    ).toBeNull();
    const uncertain = projectSnapshot(once, delayed('charge', 'CHARGE_DELAYED_UNCERTAIN'), ctx);
    expect(uncertain).toMatchObject({ status: 'processing', seq: 2, notice: { code: 'CHARGE_DELAYED_UNCERTAIN' } });
  });

  it('order and refund notices apply while paid; a notice for a step already passed, or on a terminal status, changes nothing', () => {
    const paid = fold([succeeded]);
    expect(projectSnapshot(paid, delayed('order', 'ORDER_DELAYED'), ctx)).toMatchObject({ status: 'paid', seq: 2, notice: { code: 'ORDER_DELAYED' } });
    expect(projectSnapshot(paid, delayed('refund', 'REFUND_DELAYED'), ctx)).toMatchObject({ status: 'paid', notice: { code: 'REFUND_DELAYED' } });
    expect(projectSnapshot(paid, chargeDelayed, ctx)).toBeNull();
    expect(projectSnapshot(initialSnapshot(paymentId, ctx.now), delayed('order', 'ORDER_DELAYED'), ctx)).toBeNull();
    for (const terminal of [fold([succeeded, confirmed]), fold([failed]), fold([succeeded, refunded]), fold([succeeded, refundFailed])]) {
      for (const step of ['charge', 'order', 'refund'] as const) expect(projectSnapshot(terminal, delayed(step, 'X_DELAYED'), ctx)).toBeNull();
    }
  });

  it('a charge notice is not shown while the shopper is asked to confirm: the words that ask them stay', () => {
    const waiting = fold([chargeDelayed, requiresAction]);
    expect(waiting).toMatchObject({ status: 'requires_action', seq: 2, nextAction });
    expect(waiting.notice).toBeUndefined();
    expect(projectSnapshot(waiting, chargeDelayed, ctx)).toBeNull();
  });

  it("a settlement notice (Billing Gates failing after the bank's challenge) is shown in requires_action, keeping where to confirm; nowhere else", () => {
    const waiting = fold([requiresAction]);
    expect(projectSnapshot(waiting, delayed('settle', 'SETTLE_DELAYED'), ctx)).toMatchObject({
      status: 'requires_action',
      seq: 2,
      nextAction,
      notice: { code: 'SETTLE_DELAYED' },
    });
    expect(projectSnapshot(acceptedSnapshot(paymentId, ctx.now), delayed('settle', 'SETTLE_DELAYED'), ctx)).toBeNull();
    expect(projectSnapshot(fold([succeeded]), delayed('settle', 'SETTLE_DELAYED'), ctx)).toBeNull();
  });

  it('any status change drops the notice', () => {
    expect(fold([chargeDelayed, succeeded])).toMatchObject({ status: 'paid', seq: 2 });
    expect(fold([chargeDelayed, succeeded]).notice).toBeUndefined();
    expect(fold([chargeDelayed, failed]).notice).toBeUndefined();
    expect(fold([succeeded, delayed('order', 'ORDER_DELAYED'), confirmed]).notice).toBeUndefined();
    expect(fold([succeeded, delayed('refund', 'REFUND_DELAYED'), refunded]).notice).toBeUndefined();
  });

  it('a snapshot already shows a notice with the same words while the payment waits in its step, so a repeat is pushed again; not once the status moved on', () => {
    const noticed = fold([chargeDelayed]);
    expect(alreadyShows(noticed, chargeDelayed)).toBe(true);
    expect(alreadyShows(noticed, delayed('charge', 'CHARGE_DELAYED_UNCERTAIN'))).toBe(false);
    expect(alreadyShows(fold([chargeDelayed, succeeded]), chargeDelayed)).toBe(false);
    expect(alreadyShows(fold([succeeded]), succeeded)).toBe(true);
    expect(alreadyShows(fold([succeeded, confirmed]), succeeded)).toBe(false);
  });

  it('notices mixed into any order of arrival never move the status, and leave none on a terminal status', () => {
    const events = [
      requiresAction,
      succeeded,
      failed,
      confirmed,
      orderFailed,
      refunded,
      refundFailed,
      chargeDelayed,
      delayed('order', 'ORDER_DELAYED'),
      delayed('refund', 'REFUND_DELAYED'),
    ];
    for (let i = 0; i < 200; i++) {
      let snapshot = initialSnapshot(paymentId, ctx.now);
      for (const event of [...events, ...events].sort(() => Math.random() - 0.5)) {
        const next = projectSnapshot(snapshot, event, ctx);
        if (next === null) continue;
        expect(next.seq).toBe(snapshot.seq + 1);
        if (event.type === 'PaymentDelayed') expect(next.status).toBe(snapshot.status);
        snapshot = next;
      }
      if (isTerminal(snapshot.status)) expect(snapshot.notice).toBeUndefined();
    }
  });
});

describe('statusAfter', () => {
  it('names the status each event moves a payment to', () => {
    expect([requiresAction, succeeded, failed, confirmed, orderFailed, refunded, refundFailed].map((event) => statusAfter(event))).toEqual([
      'requires_action',
      'paid',
      'failed',
      'confirmed',
      null,
      'refunded',
      'refund_failed',
    ]);
  });
});
