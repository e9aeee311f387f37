import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANS } from '../../contracts/index.js';
import { startSystem, type System } from './harness/system.js';
import { ledger, pay, paymentRequest, postPayment, ShopperSocket } from './harness/shopper.js';

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system?.stop();
});

describe('POST /api/payments', () => {
  it('answers 202 with a paymentId, a client secret and status processing', async () => {
    const response = await postPayment(system.bffUrl, paymentRequest());
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ paymentId: expect.stringMatching(/^[0-9a-f-]{36}$/), clientSecret: expect.any(String), status: 'processing' });
    expect(response.body.clientSecret.length).toBeGreaterThanOrEqual(40);
  });

  it.each([
    ['a missing planId', { ...paymentRequest(), planId: undefined }],
    ['a zero amount', { ...paymentRequest(), amount: { value: 0, currency: 'EUR' } }],
    ['a fractional amount', { ...paymentRequest(), amount: { value: 29.5, currency: 'EUR' } }],
    ['a lower-case currency', { ...paymentRequest(), amount: { value: 2900, currency: 'eur' } }],
    ['an invalid email', { ...paymentRequest(), customer: { email: 'not-an-email' } }],
    ['a card number instead of a token', { ...paymentRequest(), paymentMethod: { token: 'x', number: '4242424242424242' } }],
    ['an unknown field', { ...paymentRequest(), discount: 100 }],
  ])('refuses %s with 400 and details', async (_name, body) => {
    const response = await postPayment(system.bffUrl, body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.any(String), details: expect.any(Array) });
  });

  it('refuses an amount that is not the plan price', async () => {
    const response = await postPayment(system.bffUrl, paymentRequest({ amount: { value: 1, currency: 'EUR' } }));
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('AMOUNT_MISMATCH');
  });

  it('refuses an unknown plan', async () => {
    const response = await postPayment(system.bffUrl, paymentRequest({ planId: 'platinum' }));
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('UNKNOWN_PLAN');
  });

  it('answers malformed JSON with a 400 JSON error, not an HTML page', async () => {
    const response = await postPayment(system.bffUrl, '{"planId": ');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('MALFORMED_JSON');
  });

  it('answers a body that is too large with 413', async () => {
    const response = await postPayment(system.bffUrl, { ...paymentRequest(), padding: 'x'.repeat(1024 * 1024) });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('BODY_TOO_LARGE');
  });

  it('the same Idempotency-Key and body give the same answer and one charge', async () => {
    const key = randomUUID();
    const body = paymentRequest();
    const answers = await Promise.all([1, 2, 3].map(() => postPayment(system.bffUrl, body, { 'Idempotency-Key': key })));
    for (const answer of answers) expect(answer.status).toBe(202);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    const later = await postPayment(system.bffUrl, body, { 'Idempotency-Key': key });
    expect(later.body).toEqual(answers[0]!.body);

    const shopper = new ShopperSocket(system.bffUrl, answers[0]!.body);
    try {
      await shopper.waitFor('confirmed');
    } finally {
      shopper.close();
    }
    const charges = (await ledger(system.billingGatesUrl, answers[0]!.body.paymentId)).filter((e) => e.kind === 'charge');
    expect(charges).toHaveLength(1);
  });

  it('the same Idempotency-Key with another body is refused with 409', async () => {
    const key = randomUUID();
    expect((await postPayment(system.bffUrl, paymentRequest(), { 'Idempotency-Key': key })).status).toBe(202);
    const other = await postPayment(system.bffUrl, paymentRequest(), { 'Idempotency-Key': key });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('GET /api/payments/:id', () => {
  it('returns the snapshot to the holder of the secret', async () => {
    const payment = await pay(system.bffUrl);
    const response = await fetch(`${system.bffUrl}/api/payments/${payment.paymentId}`, { headers: { authorization: `Bearer ${payment.clientSecret}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ paymentId: payment.paymentId, seq: expect.any(Number), updatedAt: expect.any(String) });
  });

  it('answers a wrong or missing secret exactly as an unknown payment', async () => {
    const payment = await pay(system.bffUrl);
    const wrong = await fetch(`${system.bffUrl}/api/payments/${payment.paymentId}`, { headers: { authorization: 'Bearer wrong' } });
    const missing = await fetch(`${system.bffUrl}/api/payments/${payment.paymentId}`);
    const unknown = await fetch(`${system.bffUrl}/api/payments/${randomUUID()}`, { headers: { authorization: `Bearer ${payment.clientSecret}` } });
    const bodies = await Promise.all([wrong, missing, unknown].map((r) => r.text()));
    expect([wrong.status, missing.status, unknown.status]).toEqual([404, 404, 404]);
    expect(new Set(bodies).size).toBe(1);
  });
});

describe('the other endpoints', () => {
  it('GET /api/plans lists the plans on sale', async () => {
    const response = await fetch(`${system.bffUrl}/api/plans`);
    expect(await response.json()).toEqual(PLANS);
  });

  it('/healthz, /readyz and /metrics answer', async () => {
    expect((await fetch(`${system.bffUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${system.bffUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', failing: [] });
    const metrics = await (await fetch(`${system.bffUrl}/metrics`)).text();
    expect(metrics).toMatch(/^payflow_payments_accepted_total\{role="bff"\} [1-9]/m);
  });
});
