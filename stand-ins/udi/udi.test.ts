import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '../../lib/sleep.js';
import { getJson, postJson, startServer, testLogger, type RunningServer } from '../common/testing.js';
import { createUdiApp, type UdiDeps } from './app.js';

let server: RunningServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function startUdi(deps: Partial<UdiDeps> = {}): Promise<string> {
  server = await startServer(createUdiApp({ logger: testLogger(), ssoTokenTtlMs: 60_000, ...deps }));
  return server.url;
}

function orderRequest(planId = 'team') {
  return { paymentId: randomUUID(), planId, email: 'ada@example.com' };
}

async function confirmedOrder(url: string) {
  const request = orderRequest();
  const created = await postJson(`${url}/orders`, request);
  const { orderId } = created.body as { orderId: string };
  const confirmed = await postJson(`${url}/orders/${orderId}/confirm`, {});
  return { ...request, orderId, ssoToken: (confirmed.body as { ssoToken: string }).ssoToken };
}

async function ledgerKinds(url: string, paymentId: string): Promise<string[]> {
  const { body } = await getJson(`${url}/__ledger?paymentId=${paymentId}`);
  return (body as { entries: { kind: string }[] }).entries.map((entry) => entry.kind);
}

describe('Udi orders', () => {
  it('creating an order for a payment answers 201 unconfirmed; a repeat answers 200 with the same order and creates nothing', async () => {
    const url = await startUdi();
    const request = orderRequest();
    const first = await postJson(`${url}/orders`, request);
    expect(first).toEqual({ status: 201, body: { orderId: expect.stringMatching(/^ord_/), status: 'created' } });
    expect(await postJson(`${url}/orders`, request)).toEqual({ status: 200, body: first.body });
    expect(await ledgerKinds(url, request.paymentId)).toEqual(['order-created']);
  });

  it('repeating an order for a payment with another plan answers 409 ORDER_CONFLICT', async () => {
    const url = await startUdi();
    const request = orderRequest();
    await postJson(`${url}/orders`, request);
    const answer = await postJson(`${url}/orders`, { ...request, planId: 'business' });
    expect(answer).toMatchObject({ status: 409, body: { error: { code: 'ORDER_CONFLICT' } } });
  });

  it('an order for a plan listed in failPlans answers 422 ORDER_REJECTED; other plans are still ordered', async () => {
    const url = await startUdi({ control: { failPlans: ['business'] } });
    const rejected = orderRequest('business');
    expect(await postJson(`${url}/orders`, rejected)).toEqual({
      status: 422,
      body: { error: { code: 'ORDER_REJECTED', message: expect.any(String) } },
    });
    expect(await ledgerKinds(url, rejected.paymentId)).toEqual(['order-rejected']);
    expect((await postJson(`${url}/orders`, orderRequest('team'))).status).toBe(201);
  });

  it('confirming twice confirms once but issues a fresh token each time, and the ledger never holds a token', async () => {
    const url = await startUdi();
    const request = orderRequest();
    const { orderId } = (await postJson(`${url}/orders`, request)).body as { orderId: string };
    const answers = [await postJson(`${url}/orders/${orderId}/confirm`, {}), await postJson(`${url}/orders/${orderId}/confirm`, {})];
    for (const answer of answers) {
      expect(answer).toEqual({
        status: 200,
        body: { orderId, status: 'confirmed', ssoToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresAt: expect.any(String) },
      });
    }
    const tokens = answers.map((answer) => (answer.body as { ssoToken: string }).ssoToken);
    expect(new Set(tokens).size).toBe(2);
    expect(await ledgerKinds(url, request.paymentId)).toEqual(['order-created', 'confirm', 'sso-token-issued', 'sso-token-issued']);
    const ledgerText = JSON.stringify((await getJson(`${url}/__ledger`)).body);
    for (const token of tokens) expect(ledgerText).not.toContain(token);
  });

  it('confirming an unknown order answers 404 ORDER_NOT_FOUND', async () => {
    const url = await startUdi();
    expect(await postJson(`${url}/orders/ord_nope/confirm`, {})).toMatchObject({ status: 404, body: { error: { code: 'ORDER_NOT_FOUND' } } });
  });
});

describe('Udi order cancellation', () => {
  const cancel = (url: string, paymentId: string) => postJson(`${url}/orders/cancel`, { paymentId });

  it('cancelling an unconfirmed order cancels it for good: a confirmation and a create are then refused with 409 ORDER_CANCELLED and no token', async () => {
    const url = await startUdi();
    const request = orderRequest();
    const { orderId } = (await postJson(`${url}/orders`, request)).body as { orderId: string };
    expect(await cancel(url, request.paymentId)).toEqual({ status: 200, body: { orderId, status: 'cancelled' } });
    expect(await postJson(`${url}/orders/${orderId}/confirm`, {})).toMatchObject({ status: 409, body: { error: { code: 'ORDER_CANCELLED' } } });
    expect(await postJson(`${url}/orders`, request)).toMatchObject({ status: 409, body: { error: { code: 'ORDER_CANCELLED' } } });
    expect(await getJson(`${url}/orders?paymentId=${request.paymentId}`)).toEqual({ status: 200, body: { orderId, status: 'cancelled' } });
    expect(await ledgerKinds(url, request.paymentId)).toEqual(['order-created', 'order-cancelled', 'confirm-refused', 'create-refused']);
  });

  it('cancelling for a payment without an order bars it from ever having one, and the lookup says cancelled', async () => {
    const url = await startUdi();
    const request = orderRequest();
    expect(await cancel(url, request.paymentId)).toEqual({ status: 200, body: { orderId: null, status: 'cancelled' } });
    expect(await postJson(`${url}/orders`, request)).toMatchObject({ status: 409, body: { error: { code: 'ORDER_CANCELLED' } } });
    expect(await getJson(`${url}/orders?paymentId=${request.paymentId}`)).toEqual({ status: 200, body: { orderId: null, status: 'cancelled' } });
    expect(await ledgerKinds(url, request.paymentId)).toEqual(['order-cancelled', 'create-refused']);
  });

  it('cancelling a confirmed order changes nothing and answers confirmed with its orderId; it can still be confirmed again for a fresh token', async () => {
    const url = await startUdi();
    const { paymentId, orderId } = await confirmedOrder(url);
    expect(await cancel(url, paymentId)).toEqual({ status: 200, body: { orderId, status: 'confirmed' } });
    expect((await postJson(`${url}/orders/${orderId}/confirm`, {})).status).toBe(200);
    expect(await ledgerKinds(url, paymentId)).toEqual(['order-created', 'confirm', 'sso-token-issued', 'sso-token-issued']);
  });

  it('cancelling again answers the same and records nothing more', async () => {
    const url = await startUdi();
    const request = orderRequest();
    const first = await cancel(url, request.paymentId);
    expect(await cancel(url, request.paymentId)).toEqual(first);
    expect(await ledgerKinds(url, request.paymentId)).toEqual(['order-cancelled']);
  });

  it('a confirmation on its way when the order is cancelled lands refused: held by confirmEffectDelayMs, it reads the order after the hold', async () => {
    const url = await startUdi({ control: { confirmEffectDelayMs: 200 } });
    const request = orderRequest();
    const { orderId } = (await postJson(`${url}/orders`, request)).body as { orderId: string };
    const held = postJson(`${url}/orders/${orderId}/confirm`, {});
    await sleep(50);
    expect((await cancel(url, request.paymentId)).body).toEqual({ orderId, status: 'cancelled' });
    expect(await held).toMatchObject({ status: 409, body: { error: { code: 'ORDER_CANCELLED' } } });
    expect(await ledgerKinds(url, request.paymentId)).not.toContain('confirm');
  });

  it('a create on its way (effectDelayMs) when its payment is cancelled lands refused', async () => {
    const url = await startUdi({ control: { effectDelayMs: 200 } });
    const request = orderRequest();
    const held = postJson(`${url}/orders`, request);
    await sleep(50);
    expect((await cancel(url, request.paymentId)).body).toEqual({ orderId: null, status: 'cancelled' });
    expect(await held).toMatchObject({ status: 409, body: { error: { code: 'ORDER_CANCELLED' } } });
    expect(await ledgerKinds(url, request.paymentId)).toEqual(['order-cancelled', 'create-refused']);
  });

  it('a cancel without a paymentId answers 400 INVALID_REQUEST', async () => {
    const url = await startUdi();
    expect(await postJson(`${url}/orders/cancel`, {})).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
  });
});

describe('Udi SSO token exchange', () => {
  it('a token is exchanged once for the shopper, and a second use answers 401 TOKEN_ALREADY_USED', async () => {
    const url = await startUdi();
    const order = await confirmedOrder(url);
    expect(await postJson(`${url}/sso/exchange`, { token: order.ssoToken })).toEqual({
      status: 200,
      body: { email: order.email, orderId: order.orderId, paymentId: order.paymentId },
    });
    expect(await postJson(`${url}/sso/exchange`, { token: order.ssoToken })).toMatchObject({
      status: 401,
      body: { error: { code: 'TOKEN_ALREADY_USED' } },
    });
    expect(await ledgerKinds(url, order.paymentId)).toEqual(['order-created', 'confirm', 'sso-token-issued', 'sso-token-exchanged', 'sso-token-refused']);
  });

  it('a token used after its TTL answers 401 TOKEN_EXPIRED', async () => {
    const url = await startUdi({ ssoTokenTtlMs: 50 });
    const order = await confirmedOrder(url);
    await sleep(80);
    expect(await postJson(`${url}/sso/exchange`, { token: order.ssoToken })).toMatchObject({
      status: 401,
      body: { error: { code: 'TOKEN_EXPIRED' } },
    });
  });

  it('a token Udi never issued answers 401 TOKEN_INVALID', async () => {
    const url = await startUdi();
    expect(await postJson(`${url}/sso/exchange`, { token: 'made-up' })).toMatchObject({
      status: 401,
      body: { error: { code: 'TOKEN_INVALID' } },
    });
  });
});

describe('Udi order lookup and misbehaviour knobs', () => {
  it('an order is found by paymentId with its status, before and after confirmation; a payment without one answers 404 ORDER_NOT_FOUND', async () => {
    const url = await startUdi();
    const request = orderRequest();
    const { orderId } = (await postJson(`${url}/orders`, request)).body as { orderId: string };
    expect(await getJson(`${url}/orders?paymentId=${request.paymentId}`)).toEqual({ status: 200, body: { orderId, status: 'created' } });
    await postJson(`${url}/orders/${orderId}/confirm`, {});
    expect(await getJson(`${url}/orders?paymentId=${request.paymentId}`)).toEqual({ status: 200, body: { orderId, status: 'confirmed' } });
    expect(await getJson(`${url}/orders?paymentId=${randomUUID()}`)).toMatchObject({ status: 404, body: { error: { code: 'ORDER_NOT_FOUND' } } });
    expect(await getJson(`${url}/orders`)).toMatchObject({ status: 400, body: { error: { code: 'INVALID_QUERY' } } });
  });

  it('with expiresAtOffset 120, expiresAt is written with +02:00 and names the same instant', async () => {
    const url = await startUdi({ control: { expiresAtOffset: 120 } });
    const request = orderRequest();
    const { orderId } = (await postJson(`${url}/orders`, request)).body as { orderId: string };
    const { expiresAt } = (await postJson(`${url}/orders/${orderId}/confirm`, {})).body as { expiresAt: string };
    expect(expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+02:00$/);
    const { entries } = (await getJson(`${url}/__ledger?paymentId=${request.paymentId}&kind=sso-token-issued`)).body as { entries: { expiresAt: string }[] };
    expect(Date.parse(expiresAt)).toBe(Date.parse(entries[0]!.expiresAt));
  });

  it('with refuseConfirms, a confirmation answers 409 ORDER_NOT_CONFIRMABLE and the order stays unconfirmed', async () => {
    const url = await startUdi({ control: { refuseConfirms: true } });
    const request = orderRequest();
    const { orderId } = (await postJson(`${url}/orders`, request)).body as { orderId: string };
    expect(await postJson(`${url}/orders/${orderId}/confirm`, {})).toMatchObject({ status: 409, body: { error: { code: 'ORDER_NOT_CONFIRMABLE' } } });
    expect(await ledgerKinds(url, request.paymentId)).toEqual(['order-created', 'confirm-refused']);
  });

  it('with confirmEffectDelayMs, orders are created at once and a confirmation confirms only once its hold is over', async () => {
    // A hold of a second: the lookup 100 ms into it must find the order still created, even while
    // the machine is busy with other test files (a 300 ms hold was over before the lookup once).
    const url = await startUdi({ control: { confirmEffectDelayMs: 1_000 } });
    const request = orderRequest();
    const started = performance.now();
    const { orderId } = (await postJson(`${url}/orders`, request)).body as { orderId: string };
    expect(performance.now() - started).toBeLessThan(250);
    const answer = postJson(`${url}/orders/${orderId}/confirm`, {});
    await sleep(100);
    expect((await getJson(`${url}/orders?paymentId=${request.paymentId}`)).body).toEqual({ orderId, status: 'created' });
    expect((await answer).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(await ledgerKinds(url, request.paymentId)).toEqual(['order-created', 'confirm', 'sso-token-issued']);
  });

  it('with confirmAnswerDelayMs, the order is confirmed at once and only the answer waits', async () => {
    const url = await startUdi({ control: { confirmAnswerDelayMs: 300 } });
    const request = orderRequest();
    const { orderId } = (await postJson(`${url}/orders`, request)).body as { orderId: string };
    const started = performance.now();
    const answer = postJson(`${url}/orders/${orderId}/confirm`, {});
    await sleep(100);
    expect((await getJson(`${url}/orders?paymentId=${request.paymentId}`)).body).toEqual({ orderId, status: 'confirmed' });
    expect((await answer).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(await ledgerKinds(url, request.paymentId)).toEqual(['order-created', 'confirm', 'sso-token-issued']);
  });
});
