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

async function startBillingGates(control: Partial<BillingControl> = {}, now?: () => number): Promise<string> {
  server = await startServer(createBillingGatesApp({ logger: testLogger(), control: { latencyMs: 0, ...control }, now }));
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
  it('with effectDelayMs set, a lookup made while the charge is held finds nothing, and the charge lands after it', async () => {
    const url = await startBillingGates({ effectDelayMs: 300 });
    const request = chargeRequest();
    const charging = postJson(`${url}/charges`, request);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lookup = await getJson(`${url}/charges/${request.idempotencyKey}`);
    expect(lookup.status).toBe(404);
    expect(await ledgerOf(url, request.paymentId)).toEqual([]);
    expect((await charging).status).toBe(201);
    expect((await ledgerOf(url, request.paymentId)).map((entry) => entry.kind)).toEqual(['charge']);
  });

  it('a new idempotency key charges once: 201 with a chargeId, and one charge in the ledger', async () => {
    const url = await startBillingGates();
    const request = chargeRequest();
    const answer = await postJson(`${url}/charges`, request);
    expect(answer).toEqual({ status: 201, body: { chargeId: expect.stringMatching(/^ch_/), status: 'succeeded' } });
    expect(await ledgerOf(url, request.paymentId)).toEqual([expect.objectContaining({ kind: 'charge', paymentId: request.paymentId, amount: request.amount })]);
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
      body: {
        idempotencyKey: request.idempotencyKey,
        paymentId: request.paymentId,
        amount: request.amount,
        status: 'succeeded',
        chargeId: (body as { chargeId: string }).chargeId,
      },
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

describe('Billing Gates voids', () => {
  const voidKey = (url: string, request: { idempotencyKey: string; paymentId: string }) =>
    postJson(`${url}/charges/${encodeURIComponent(request.idempotencyKey)}/void`, { paymentId: request.paymentId });

  it('a key with no charge is voided: the answer says voided, the ledger has a void, the lookup reports it, and a later charge under it answers 409 CHARGE_VOIDED and charges nothing', async () => {
    const url = await startBillingGates();
    const request = chargeRequest();
    const voided = { idempotencyKey: request.idempotencyKey, paymentId: request.paymentId, status: 'voided' };
    expect(await voidKey(url, request)).toEqual({ status: 200, body: voided });
    expect(await getJson(`${url}/charges/${request.idempotencyKey}`)).toEqual({ status: 200, body: voided });
    const refused = { status: 409, body: { error: { code: 'CHARGE_VOIDED', message: expect.stringContaining(request.idempotencyKey) } } };
    expect(await postJson(`${url}/charges`, request)).toEqual(refused);
    expect(await postJson(`${url}/charges`, request)).toEqual(refused);
    expect(await voidKey(url, request)).toEqual({ status: 200, body: voided });
    expect((await ledgerOf(url, request.paymentId)).map((entry) => entry.kind)).toEqual(['void']);
  });

  it('a charged key is not voided: the void answers succeeded with its chargeId and changes nothing; a declined key answers declined', async () => {
    const url = await startBillingGates();
    const request = chargeRequest();
    const { body } = await postJson(`${url}/charges`, request);
    expect(await voidKey(url, request)).toEqual({
      status: 200,
      body: {
        idempotencyKey: request.idempotencyKey,
        paymentId: request.paymentId,
        amount: request.amount,
        status: 'succeeded',
        chargeId: (body as { chargeId: string }).chargeId,
      },
    });
    expect(await postJson(`${url}/charges`, request)).toEqual({ status: 200, body });
    const declined = chargeRequest({ paymentMethodToken: 'pm_card_declined' });
    await postJson(`${url}/charges`, declined);
    expect((await voidKey(url, declined)).body).toMatchObject({ status: 'declined' });
    expect((await ledgerOf(url, request.paymentId)).map((entry) => entry.kind)).toEqual(['charge']);
    expect((await ledgerOf(url, declined.paymentId)).map((entry) => entry.kind)).toEqual(['decline']);
  });

  it('a void that arrives while the charge is held (effectDelayMs) wins: the held charge answers 409 CHARGE_VOIDED and nothing is charged', async () => {
    const url = await startBillingGates({ effectDelayMs: 300 });
    const request = chargeRequest();
    const charging = postJson(`${url}/charges`, request);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await voidKey(url, request)).body).toMatchObject({ status: 'voided' });
    expect(await charging).toMatchObject({ status: 409, body: { error: { code: 'CHARGE_VOIDED' } } });
    expect((await ledgerOf(url, request.paymentId)).map((entry) => entry.kind)).toEqual(['void']);
  });

  it('a void of a key that belongs to another payment answers 409 IDEMPOTENCY_KEY_REUSED and changes nothing', async () => {
    const url = await startBillingGates();
    const request = chargeRequest();
    await postJson(`${url}/charges`, request);
    expect(await voidKey(url, { ...request, paymentId: randomUUID() })).toMatchObject({ status: 409, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } } });
    expect((await ledgerOf(url, request.paymentId)).map((entry) => entry.kind)).toEqual(['charge']);
  });

  it('a void without a paymentId answers 400 INVALID_REQUEST', async () => {
    const url = await startBillingGates();
    expect(await postJson(`${url}/charges/charge-x/void`, {})).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
  });

  it('the void obeys the control state like any business request', async () => {
    const url = await startBillingGates({ down: true });
    const request = chargeRequest();
    expect(await voidKey(url, request)).toMatchObject({ status: 503, body: { error: { code: 'SERVICE_DOWN' } } });
    expect(await ledgerOf(url, request.paymentId)).toEqual([]);
  });
});

describe("a charge's metadata", () => {
  it('is kept with the charge and answered by the lookup, as it was sent', async () => {
    const url = await startBillingGates({ requiresActionTokens: ['pm_card_3ds'] });
    const metadata = { planId: 'pro', customerEmail: 'shopper@example.com' };
    const request = { ...chargeRequest({ paymentMethodToken: 'pm_card_3ds' }), metadata };
    expect((await postJson(`${url}/charges`, request)).status).toBe(201);
    expect((await getJson(`${url}/charges/${request.idempotencyKey}`)).body).toMatchObject({ status: 'requires_action', metadata });
  });

  it('refuses metadata of more than 20 keys with a 400 naming it', async () => {
    const url = await startBillingGates();
    const metadata = Object.fromEntries(Array.from({ length: 21 }, (_, index) => [`k${index}`, 'v']));
    const refused = await postJson(`${url}/charges`, { ...chargeRequest(), metadata });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('metadata');
  });
});

describe('Billing Gates charges that require action', () => {
  it('a token in requiresActionTokens is answered 201 requires_action with a redirect, kept as a pending charge (no charge in the ledger), and a repeat answers the same', async () => {
    const url = await startBillingGates({ requiresActionTokens: ['pm_card_3ds'] });
    const request = chargeRequest({ paymentMethodToken: 'pm_card_3ds' });
    const first = await postJson(`${url}/charges`, request);
    expect(first).toEqual({
      status: 201,
      body: {
        chargeId: expect.stringMatching(/^ch_/),
        status: 'requires_action',
        nextAction: { type: 'redirect', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/challenges\/chl_[0-9a-f]{24}$/) },
      },
    });
    expect(await postJson(`${url}/charges`, request)).toEqual({ status: 200, body: first.body });
    expect((await getJson(`${url}/charges/${request.idempotencyKey}`)).body).toMatchObject({
      status: 'requires_action',
      chargeId: (first.body as { chargeId: string }).chargeId,
    });
    expect((await ledgerOf(url, request.paymentId)).map((entry) => entry.kind)).toEqual(['charge-pending']);
  });

  it('a void of a pending charge voids it: nothing is taken, and the charge asked again answers 409 CHARGE_VOIDED', async () => {
    const url = await startBillingGates({ requiresActionTokens: ['pm_card_3ds'] });
    const request = chargeRequest({ paymentMethodToken: 'pm_card_3ds' });
    await postJson(`${url}/charges`, request);
    const voided = await postJson(`${url}/charges/${request.idempotencyKey}/void`, { paymentId: request.paymentId });
    expect(voided).toEqual({
      status: 200,
      body: { idempotencyKey: request.idempotencyKey, paymentId: request.paymentId, amount: request.amount, status: 'voided' },
    });
    expect(await postJson(`${url}/charges`, request)).toMatchObject({ status: 409, body: { error: { code: 'CHARGE_VOIDED' } } });
    expect((await ledgerOf(url, request.paymentId)).map((entry) => entry.kind)).toEqual(['charge-pending', 'void']);
  });
});

describe('Billing Gates refusing lookups', () => {
  it('when refuseLookups is set, the lookup and the void answer 403 LOOKUP_REFUSED and nothing is voided; charges go on', async () => {
    const url = await startBillingGates({ refuseLookups: true });
    const request = chargeRequest();
    const refused = { status: 403, body: { error: { code: 'LOOKUP_REFUSED', message: expect.any(String) } } };
    expect(await getJson(`${url}/charges/${request.idempotencyKey}`)).toEqual(refused);
    expect(await postJson(`${url}/charges/${request.idempotencyKey}/void`, { paymentId: request.paymentId })).toEqual(refused);
    expect((await postJson(`${url}/charges`, request)).status).toBe(201);
    expect((await ledgerOf(url, request.paymentId)).map((entry) => entry.kind)).toEqual(['charge']);
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

describe('Billing Gates capacity', () => {
  /** A clock the test moves by hand, so a second's window never ends mid-test. */
  const clock = { ms: Date.parse('2026-01-01T00:00:00.200Z') };
  const startAt = (control: Partial<BillingControl>) => startBillingGates(control, () => clock.ms);
  const charge = async (url: string, request: ReturnType<typeof chargeRequest>) => {
    const response = await fetch(`${url}/charges`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as unknown };
  };

  it('maxChargesPerSecond is off by default: GET /__control shows null, and a burst of charges all go through', async () => {
    const url = await startAt({});
    expect((await getJson(`${url}/__control`)).body).toMatchObject({ maxChargesPerSecond: null });
    const answers = await Promise.all(Array.from({ length: 20 }, () => postJson(`${url}/charges`, chargeRequest())));
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 20 }, () => 201));
  });

  it('beyond maxChargesPerSecond in one second, a charge answers 429 TOO_MANY_CHARGES with Retry-After: 1 and charges nothing; the next second the same key charges', async () => {
    const url = await startAt({ maxChargesPerSecond: 3 });
    const requests = Array.from({ length: 5 }, () => chargeRequest());
    const answers = await Promise.all(requests.map((request) => charge(url, request)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201, 201, 429, 429]);
    const refused = requests.filter((_, i) => answers[i]?.status === 429);
    for (const [i, request] of requests.entries()) {
      if (answers[i]?.status !== 429) continue;
      expect(answers[i]).toEqual({
        status: 429,
        retryAfter: '1',
        body: { error: { code: 'TOO_MANY_CHARGES', message: expect.stringMatching(/at most 3 charges per second/) } },
      });
      expect(await ledgerOf(url, request.paymentId)).toEqual([]);
    }
    clock.ms += 1_000;
    for (const request of refused) expect((await charge(url, request)).status).toBe(201);
    expect((await charge(url, chargeRequest())).status).toBe(201);
    expect((await charge(url, chargeRequest())).status).toBe(429);
  });

  it('Retry-After counts whole seconds up to the next window, never less than 1', async () => {
    const url = await startAt({ maxChargesPerSecond: 1 });
    clock.ms = Date.parse('2026-01-01T00:00:05.999Z');
    await charge(url, chargeRequest());
    expect(await charge(url, chargeRequest())).toMatchObject({ status: 429, retryAfter: '1' });
  });

  it('refunds and charge lookups do not count against the capacity, and are not refused by it', async () => {
    const url = await startAt({});
    const request = chargeRequest();
    const { body } = await postJson(`${url}/charges`, request);
    await postJson(`${url}/__control`, { maxChargesPerSecond: 1 });
    expect((await charge(url, chargeRequest())).status).toBe(201);
    expect((await charge(url, chargeRequest())).status).toBe(429);
    const chargeId = (body as { chargeId: string }).chargeId;
    expect((await getJson(`${url}/charges/${encodeURIComponent(request.idempotencyKey)}`)).status).toBe(200);
    expect((await postJson(`${url}/refunds`, { idempotencyKey: `refund-${request.paymentId}`, chargeId, paymentId: request.paymentId })).status).toBe(201);
  });

  it('posting back the control state read before the change (maxChargesPerSecond null) lifts the capacity', async () => {
    const url = await startAt({});
    const before = (await getJson(`${url}/__control`)).body;
    await postJson(`${url}/__control`, { maxChargesPerSecond: 1 });
    await charge(url, chargeRequest());
    expect((await charge(url, chargeRequest())).status).toBe(429);
    expect(await postJson(`${url}/__control`, before)).toMatchObject({ status: 200, body: { maxChargesPerSecond: null } });
    expect((await charge(url, chargeRequest())).status).toBe(201);
  });

  it('a capacity that is not a positive integer is refused with 400 INVALID_CONTROL', async () => {
    const url = await startAt({});
    for (const maxChargesPerSecond of [0, -5, 2.5, '50']) {
      expect(await postJson(`${url}/__control`, { maxChargesPerSecond })).toMatchObject({ status: 400, body: { error: { code: 'INVALID_CONTROL' } } });
    }
  });
});
