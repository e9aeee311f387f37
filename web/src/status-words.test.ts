import { describe as suite, expect, it } from 'vitest';
import { describe } from './status-words.js';

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

  it('a refunded payment still offers to try again', () => {
    expect(describe(snapshot('refunded', 'Refunded.')).action).toBe('try-again');
  });
});
