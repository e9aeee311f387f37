import { describe as suite, expect, it } from 'vitest';
import { AUTHENTICATION_DECLINED } from '../../contracts/authentication-declines.js';
import { describe, slowNote, TAKING_LONGER } from './status-words.js';

const snapshot = (status: 'refund_failed' | 'refunded', message: string) => ({
  kind: 'snapshot' as const,
  snapshot: { paymentId: '00000000-0000-4000-8000-000000000000', status, seq: 3, updatedAt: '2026-01-01T00:00:00.000Z', reason: { code: 'X', message } },
});

suite('status words', () => {
  it('a refund that did not go through is said plainly, with the reason, no spinner and no Pay again', () => {
    const words = describe(snapshot('refund_failed', 'Support will return your payment; reference 123.'));
    expect(words).toMatchObject({ tone: 'bad', reason: 'Support will return your payment; reference 123.' });
    expect(words.detail).toMatch(/support team has been alerted/i);
    expect(words.action).toBeUndefined();
  });

  it('a payment failed CHARGE_UNRESOLVED never says "not charged", and does not offer to pay again', () => {
    const unresolved = {
      ...snapshot('refunded', 'Support will return any charge; reference 123.').snapshot,
      status: 'failed' as const,
      reason: { code: 'CHARGE_UNRESOLVED', message: 'Support will return any charge; reference 123.' },
    };
    const words = describe({ kind: 'snapshot', snapshot: unresolved });
    expect(words).toMatchObject({ tone: 'bad', reason: 'Support will return any charge; reference 123.' });
    expect(`${words.title} ${words.detail}`).not.toMatch(/not (been )?charged|declined/i);
    expect(words.detail).toMatch(/support team has been alerted/i);
    expect(words.action).toBeUndefined();
    const declined = describe({ kind: 'snapshot', snapshot: { ...unresolved, reason: { code: 'CARD_DECLINED', message: 'Declined.' } } });
    expect(declined).toMatchObject({ detail: expect.stringMatching(/not been charged/), action: 'try-again' });
  });

  it('a payment confirmed without a sign-in token says the workspace is ready and to sign in by hand: no spinner, no Pay again', () => {
    const words = describe({
      kind: 'snapshot',
      snapshot: {
        paymentId: '00000000-0000-4000-8000-000000000000',
        status: 'confirmed',
        seq: 2,
        updatedAt: '2026-01-01T00:00:00.000Z',
        reason: { code: 'SIGN_IN_UNAVAILABLE', message: 'Your order is confirmed. Please sign in to the app with your email.' },
      },
    });
    expect(words).toMatchObject({ title: 'Your workspace is ready', tone: 'good', steps: { signIn: 'failed' } });
    expect(words.detail).toMatch(/sign in to your workspace with the email address you paid with/i);
    expect(words.action).toBeUndefined();
  });

  it('a payment waiting for the shopper says plainly that their bank needs them to confirm it, and that nothing is charged until then', () => {
    const words = describe({
      kind: 'snapshot',
      snapshot: {
        paymentId: '00000000-0000-4000-8000-000000000000',
        status: 'requires_action',
        seq: 1,
        updatedAt: '2026-01-01T00:00:00.000Z',
        nextAction: { type: 'redirect', url: 'http://127.0.0.1:4001/challenges/c1' },
      },
    });
    expect(words).toMatchObject({ title: 'Your bank needs you to confirm this payment', tone: 'working', steps: { payment: 'current' } });
    expect(words.detail).toMatch(/bank asked you to confirm/);
    expect(words.detail).toMatch(/nothing is charged until you confirm/i);
    expect(words.action).toBeUndefined();
  });

  it.each(Object.values(AUTHENTICATION_DECLINED))(
    'a payment failed $code says the bank did not confirm it, that nothing was charged, and offers to try again',
    (reason) => {
      const words = describe({ kind: 'snapshot', snapshot: { ...snapshot('refunded', reason.message).snapshot, status: 'failed', reason } });
      expect(words).toMatchObject({ title: 'Your bank did not confirm the payment', tone: 'bad', reason: reason.message, action: 'try-again' });
      expect(words.detail).toMatch(/have not been charged/);
      expect(reason.message).toMatch(/You have not been charged\.$/);
    },
  );

  it('a refunded payment still offers to try again', () => {
    expect(describe(snapshot('refunded', 'Refunded.')).action).toBe('try-again');
  });
});

suite('status words with a notice from the server', () => {
  const waiting = (status: 'processing' | 'paid', notice?: { code: string; message: string }) => ({
    kind: 'snapshot' as const,
    snapshot: {
      paymentId: '00000000-0000-4000-8000-000000000000',
      status,
      seq: 2,
      updatedAt: '2026-01-01T00:00:20.000Z',
      ...(notice === undefined ? {} : { notice: { ...notice, since: '2026-01-01T00:00:00.000Z' } }),
    },
  });
  const bankDown = { code: 'CHARGE_DELAYED', message: 'Your bank is not answering yet; nothing has been charged; we keep trying.' };

  it("the detail line shows the server's words, and the page's own guess is not added", () => {
    const words = describe(waiting('processing', bankDown));
    expect(words).toMatchObject({ title: 'Processing your payment…', tone: 'working', detail: bankDown.message, fromServer: true });
    expect(slowNote(words, true)).toBeUndefined();
    expect(slowNote(words, false)).toBeUndefined();
  });

  it("an order notice replaces the paid detail with the server's words", () => {
    const message = 'Your payment went through; we are still setting up your account.';
    expect(describe(waiting('paid', { code: 'ORDER_DELAYED', message }))).toMatchObject({ detail: message, steps: { payment: 'done', account: 'current' } });
  });

  it("back from the bank, the page waits on the bank's word; a settlement notice from the server replaces its detail", () => {
    const plain = describe({ kind: 'awaiting-bank' });
    expect(plain).toMatchObject({ title: 'Waiting for your bank’s answer…', tone: 'working' });
    expect(plain.fromServer).toBeUndefined();
    const message =
      "We are still waiting to hear from the payment provider about your bank's answer; you will not be charged twice, and this page updates by itself.";
    expect(describe({ kind: 'awaiting-bank', notice: { code: 'SETTLE_DELAYED', message } })).toMatchObject({
      title: 'Waiting for your bank’s answer…',
      detail: message,
      fromServer: true,
    });
  });

  it('without a notice, the guess is still said once the page has waited long enough, and never on a terminal status', () => {
    const words = describe(waiting('processing'));
    expect(words.detail).toMatch(/usually takes a few seconds/);
    expect(slowNote(words, false)).toBeUndefined();
    expect(slowNote(words, true)).toBe(TAKING_LONGER);
    expect(slowNote(describe(snapshot('refunded', 'Refunded.')), true)).toBeUndefined();
  });
});
