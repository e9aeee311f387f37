import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { getJson, postJson, startServer, testLogger, type RunningServer } from '../common/testing.js';
import { createBillingGatesApp } from './app.js';
import type { BillingControl } from './control.js';

let server: RunningServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function startBillingGates(control: Partial<BillingControl> = {}): Promise<string> {
  server = await startServer(createBillingGatesApp({ logger: testLogger(), control: { latencyMs: 0, ...control } }));
  return server.url;
}

function chargeRequest(overrides: Record<string, unknown> = {}) {
  const paymentId = randomUUID();
  return {
    idempotencyKey: `charge-${paymentId}`,
    paymentId,
    amount: { value: 2900, currency: 'EUR' },
    paymentMethodToken: 'tok_visa',
    ...overrides,
  };
}

async function ledgerOf(url: string, paymentId: string): Promise<{ kind: string }[]> {
  const { body } = await getJson(`${url}/__ledger?paymentId=${paymentId}`);
  return (body as { entries: { kind: string }[] }).entries;
}

describe('Billing Gates charges', () => {
  it('a new idempotency key charges once: 201 with a chargeId, and one charge in the ledger', async () => {
    const url = await startBillingGates();
    const request = chargeRequest();
    const answer = await postJson(`${url}/charges`, request);
    expect(answer).toEqual({ status: 201, body: { chargeId: expect.stringMatching(/^ch_/), status: 'succeeded' } });
    expect(await ledgerOf(url, request.paymentId)).toEqual([
      expect.objectContaining({ kind: 'charge', paymentId: request.paymentId, amount: request.amount }),
    ]);
  });

  it('the same key sent twice at once, while latency is applied, charges once and both answers carry the same chargeId', async () => {
    const url = await startBillingGates({ latencyMs: 100 });
    const request = chargeRequest();
    const answers = await Promise.all([postJson(`${url}/charges`, request), postJson(`${url}/charges`, request)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 201]);
    const [first, second] = answers.map((answer) => answer.body);
    expect(first).toEqual(second);
    expect((await ledgerOf(url, request.paymentId)).filter((entry) => entry.kind === 'charge')).toHaveLength(1);
  });

  it('a repeat of a charged key later answers 200 with the same chargeId and charges nothing more', async () => {
    const url = await startBillingGates();
    const request = chargeRequest();
    const first = await postJson(`${url}/charges`, request);
    const repeat = await postJson(`${url}/charges`, request);
    expect(repeat).toEqual({ status: 200, body: first.body });
    expect(await ledgerOf(url, request.paymentId)).toHaveLength(1);
  });

  it('the same key with another amount or payment answers 409 and charges nothing more', async () => {
    const url = await startBillingGates();
    const request = chargeRequest();
    await postJson(`${url}/charges`, request);
    const otherAmount = await postJson(`${url}/charges`, { ...request, amount: { value: 9900, currency: 'EUR' } });
    const otherPayment = await postJson(`${url}/charges`, { ...request, paymentId: randomUUID() });
    for (const answer of [otherAmount, otherPayment]) {
      expect(answer).toEqual({ status: 409, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) } } });
    }
    expect(await ledgerOf(url, request.paymentId)).toHaveLength(1);
  });

  it('a token listed in declineTokens is declined with 402 CARD_DECLINED, recorded as a decline, and a repeat stays declined', async () => {
    const url = await startBillingGates();
    await postJson(`${url}/__control`, { declineTokens: ['tok_chargeDeclined'] });
    const request = chargeRequest({ paymentMethodToken: 'tok_chargeDeclined' });
    const declined = { status: 402, body: { error: { code: 'CARD_DECLINED', message: 'The card was declined by the issuer.' } } };
    expect(await postJson(`${url}/charges`, request)).toEqual(declined);
    expect(await postJson(`${url}/charges`, request)).toEqual(declined);
    expect((await ledgerOf(url, request.paymentId)).map((entry) => entry.kind)).toEqual(['decline']);
  });

  it('a token not listed in declineTokens is charged, even if it looks like a decline token', async () => {
    const url = await startBillingGates();
    const answer = await postJson(`${url}/charges`, chargeRequest({ paymentMethodToken: 'tok_decline_anything' }));
    expect(answer.status).toBe(201);
  });

  it('when down, a charge answers 503 SERVICE_DOWN and nothing is charged', async () => {
    const url = await startBillingGates({ down: true });
    const request = chargeRequest();
    expect((await postJson(`${url}/charges`, request)).body).toMatchObject({ error: { code: 'SERVICE_DOWN' } });
    expect(await ledgerOf(url, request.paymentId)).toEqual([]);
  });

  it('when errorRate is 1, a charge answers 500 INJECTED_ERROR, and once it is 0 again the same key charges once', async () => {
    const url = await startBillingGates({ errorRate: 1 });
    const request = chargeRequest();
    const failed = await postJson(`${url}/charges`, request);
    expect(failed).toMatchObject({ status: 500, body: { error: { code: 'INJECTED_ERROR' } } });
    expect(await ledgerOf(url, request.paymentId)).toEqual([]);
    await postJson(`${url}/__control`, { errorRate: 0 });
    expect((await postJson(`${url}/charges`, request)).status).toBe(201);
    expect(await ledgerOf(url, request.paymentId)).toHaveLength(1);
  });

  it('when latencyMs is 300 (the default), a charge takes at least 300 ms', async () => {
    const url = await startBillingGates({ latencyMs: 300 });
    const started = performance.now();
    await postJson(`${url}/charges`, chargeRequest());
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('an invalid charge body answers 400 INVALID_REQUEST naming the field', async () => {
    const url = await startBillingGates();
    const answer = await postJson(`${url}/charges`, chargeRequest({ amount: { value: 0, currency: 'EUR' } }));
    expect(answer).toEqual({
      status: 400,
      body: { error: { code: 'INVALID_REQUEST', message: expect.any(String), details: [expect.objectContaining({ path: 'amount.value' })] } },
    });
  });
});

describe('Billing Gates refunds', () => {
  async function charged(url: string) {
    const request = chargeRequest();
    const { body } = await postJson(`${url}/charges`, request);
    return { paymentId: request.paymentId, chargeId: (body as { chargeId: string }).chargeId };
  }

  it('a refund of a charge answers 201 with a refundId; the same key again answers 200 with the same refundId', async () => {
    const url = await startBillingGates();
    const { paymentId, chargeId } = await charged(url);
    const request = { idempotencyKey: `refund-${paymentId}`, chargeId, paymentId };
    const first = await postJson(`${url}/refunds`, request);
    expect(first).toEqual({ status: 201, body: { refundId: expect.stringMatching(/^re_/) } });
    expect(await postJson(`${url}/refunds`, request)).toEqual({ status: 200, body: first.body });
    expect((await ledgerOf(url, paymentId)).map((entry) => entry.kind)).toEqual(['charge', 'refund']);
  });

  it('a refund of an unknown charge answers 404 CHARGE_NOT_FOUND', async () => {
    const url = await startBillingGates();
    const answer = await postJson(`${url}/refunds`, { idempotencyKey: 'k', chargeId: 'ch_unknown', paymentId: randomUUID() });
    expect(answer).toMatchObject({ status: 404, body: { error: { code: 'CHARGE_NOT_FOUND' } } });
  });

  it('a second refund of the same charge under another key answers 409 CHARGE_ALREADY_REFUNDED and refunds nothing more', async () => {
    const url = await startBillingGates();
    const { paymentId, chargeId } = await charged(url);
    await postJson(`${url}/refunds`, { idempotencyKey: 'first', chargeId, paymentId });
    const second = await postJson(`${url}/refunds`, { idempotencyKey: 'second', chargeId, paymentId });
    expect(second).toMatchObject({ status: 409, body: { error: { code: 'CHARGE_ALREADY_REFUNDED' } } });
    expect((await ledgerOf(url, paymentId)).filter((entry) => entry.kind === 'refund')).toHaveLength(1);
  });
});

describe('Billing Gates charge lookup', () => {
  it('a charged key is found with its chargeId, a declined one as declined, and an unknown one answers 404 CHARGE_NOT_FOUND; nothing is charged by looking', async () => {
    const url = await startBillingGates();
    const request = chargeRequest();
    const { body } = await postJson(`${url}/charges`, request);
    expect(await getJson(`${url}/charges/${encodeURIComponent(request.idempotencyKey)}`)).toEqual({
      status: 200,
      body: { idempotencyKey: request.idempotencyKey, paymentId: request.paymentId, amount: request.amount, status: 'succeeded', chargeId: (body as { chargeId: string }).chargeId },
    });
    const declined = chargeRequest({ paymentMethodToken: 'pm_card_declined' });
    await postJson(`${url}/charges`, declined);
    expect((await getJson(`${url}/charges/${declined.idempotencyKey}`)).body).toMatchObject({ status: 'declined' });
    expect(await getJson(`${url}/charges/charge-unknown`)).toMatchObject({ status: 404, body: { error: { code: 'CHARGE_NOT_FOUND' } } });
    expect(await ledgerOf(url, request.paymentId)).toHaveLength(1);
  });

  it('the lookup obeys the control state like any business request', async () => {
    const url = await startBillingGates({ errorRate: 1 });
    expect(await getJson(`${url}/charges/charge-unknown`)).toMatchObject({ status: 500, body: { error: { code: 'INJECTED_ERROR' } } });
  });
});

describe('Billing Gates refusing refunds', () => {
  it('when refuseRefunds is set, a refund answers 422 REFUND_REFUSED, is recorded as refused, and refunds nothing', async () => {
    const url = await startBillingGates();
    const request = chargeRequest();
    const { body } = await postJson(`${url}/charges`, request);
    await postJson(`${url}/__control`, { refuseRefunds: true });
    const chargeId = (body as { chargeId: string }).chargeId;
    const answer = await postJson(`${url}/refunds`, { idempotencyKey: `refund-${request.paymentId}`, chargeId, paymentId: request.paymentId });
    expect(answer).toMatchObject({ status: 422, body: { error: { code: 'REFUND_REFUSED' } } });
    expect((await ledgerOf(url, request.paymentId)).map((entry) => entry.kind)).toEqual(['charge', 'refund-refused']);
  });
});
