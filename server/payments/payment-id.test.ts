import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sha256 } from './idempotency-store.js';
import { newPaymentId, paymentIdFor } from './payment-id.js';

const body = sha256(JSON.stringify({ planId: 'team', customer: { email: 'a@example.com' } }));

describe('paymentIdFor', () => {
  it('names the same payment for the same key and body, on any replica and after any restart', () => {
    // Pinned: a change of the derivation would make the replay of every payment in flight, after a
    // lost record, a second payment.
    expect(paymentIdFor('key-0001', body)).toBe('1e018080-a248-8d64-8c6b-c04165886f1f');
  });

  it('names another payment for another key, or the same key with another body (another shopper, say)', () => {
    const other = sha256(JSON.stringify({ planId: 'team', customer: { email: 'b@example.com' } }));
    expect(new Set([paymentIdFor('key-0001', body), paymentIdFor('key-0002', body), paymentIdFor('key-0001', other)]).size).toBe(3);
  });

  it('is a UUID of version 8 that every schema taking a paymentId accepts', () => {
    const id = paymentIdFor('key-0001', body);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(z.uuid().safeParse(id).success).toBe(true);
  });

  it('without a key, is random', () => {
    expect(newPaymentId()).not.toBe(newPaymentId());
  });
});
