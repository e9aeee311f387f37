import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isTerminal, newEvent, type NewEvent, type PaymentEvent, type PaymentSnapshot } from '../../contracts/index.js';
import { acceptedSnapshot, initialSnapshot, projectSnapshot, statusAfter } from './project-snapshot.js';

const paymentId = randomUUID();
const ctx = { signInLandingUrl: 'http://127.0.0.1:4003/sso', now: new Date('2026-01-01T00:00:00Z') };
const reason = { code: 'CARD_DECLINED', message: 'The card was declined.' };
const ev = (fields: Omit<NewEvent, 'paymentId' | 'correlationId'>): PaymentEvent =>
  newEvent({ ...fields, paymentId, correlationId: 'c1' } as NewEvent);

const succeeded = ev({ type: 'PaymentSucceeded', data: { chargeId: 'ch_1', planId: 'team', amount: { value: 2900, currency: 'EUR' }, customer: { email: 'a@example.com' } } });
const failed = ev({ type: 'PaymentFailed', data: { reason } });
const confirmed = ev({ type: 'OrderConfirmed', data: { orderId: 'o_1', encryptedSsoToken: 'tok', ssoTokenExpiresAt: '2026-01-01T00:01:00.000Z' } });
const orderFailed = ev({ type: 'OrderFailed', data: { chargeId: 'ch_1', reason } });
const refunded = ev({ type: 'PaymentRefunded', data: { chargeId: 'ch_1', refundId: 'r_1', reason } });
const refundReason = { code: 'REFUND_FAILED', message: `The automatic refund did not go through; reference ${paymentId}.` };
const refundFailed = ev({ type: 'RefundFailed', data: { chargeId: 'ch_1', reason: refundReason } });

function fold(events: PaymentEvent[]): PaymentSnapshot {
  return events.reduce((snapshot, event) => projectSnapshot(snapshot, event, ctx) ?? snapshot, initialSnapshot(paymentId, ctx.now));
}

describe('projectSnapshot', () => {
  it('moves processing → paid → confirmed and carries what the browser needs to sign in', () => {
    const snapshot = fold([succeeded, confirmed]);
    expect(snapshot).toMatchObject({ status: 'confirmed', seq: 2 });
    expect(snapshot.signIn).toEqual({ ssoToken: 'tok', expiresAt: '2026-01-01T00:01:00.000Z', landingUrl: ctx.signInLandingUrl });
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

  it('redelivered events change nothing', () => {
    const once = fold([succeeded, confirmed]);
    expect(fold([succeeded, confirmed, succeeded, confirmed, confirmed])).toEqual(once);
    expect(projectSnapshot(once, confirmed, ctx)).toBeNull();
  });

  it('never moves backwards or out of a terminal status, in any order of arrival', () => {
    const events = [succeeded, failed, confirmed, orderFailed, refunded, refundFailed];
    const rank = { processing: 0, paid: 1, confirmed: 2, failed: 2, refund_failed: 2, refunded: 3 } as const;
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

  it('PaymentInitiated and OrderFailed alone do not change what the shopper sees', () => {
    const initiated = ev({ type: 'PaymentInitiated', data: { planId: 'team', amount: { value: 2900, currency: 'EUR' }, customer: { email: 'a@example.com' }, paymentMethod: { token: 'pm' } } });
    const start = initialSnapshot(paymentId, ctx.now);
    expect(projectSnapshot(start, initiated, ctx)).toBeNull();
    expect(projectSnapshot(fold([succeeded]), orderFailed, ctx)).toBeNull();
  });
});

describe('statusAfter', () => {
  it('names the status each event moves a payment to', () => {
    expect([succeeded, failed, confirmed, orderFailed, refunded, refundFailed].map((event) => statusAfter(event))).toEqual(['paid', 'failed', 'confirmed', null, 'refunded', 'refund_failed']);
  });
});
