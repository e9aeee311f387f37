import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ChargeSettledWebhook } from '../../contracts/charge-webhook.js';
import { closeServer, listen } from '../../lib/http-server.js';
import { verifyWebhook, WEBHOOK_SIGNATURE_HEADER } from '../../lib/webhook-signature.js';
import { getJson, postJson, testLogger } from '../common/testing.js';
import { createBillingGates, type BillingGates } from './app.js';
import type { BillingControl } from './control.js';

const SECRET = 'a test webhook secret of at least 32 characters';
const RETURN_URL = 'http://127.0.0.1:3000/?paymentId=pay-1';

const stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** A real HTTP receiver for the webhooks: it answers each delivery with the next of `statuses`, then 200. */
async function startReceiver(statuses: number[] = []) {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const { server, port } = await listen(
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(statuses.shift() ?? 200).end();
      });
    }),
    0,
  );
  stops.push(() => closeServer(server));
  return {
    url: `http://127.0.0.1:${port}/webhooks/billing-gates`,
    received,
    /** Resolves once `count` deliveries have arrived; fails the test after 5 s. */
    async waitFor(count: number) {
      const deadline = Date.now() + 5_000;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhook deliveries, got ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return received.slice(0, count);
    },
  };
}

async function startBillingGates(control: Partial<BillingControl> = {}): Promise<string> {
  const gates: BillingGates = createBillingGates({
    logger: testLogger(),
    control: { latencyMs: 0, ...control },
    webhookSecret: SECRET,
    webhookBackoff: { initialMs: 20, maxMs: 100 },
  });
  const { server, port } = await listen(gates.app, 0);
  stops.push(gates.stop, () => closeServer(server));
  return `http://127.0.0.1:${port}`;
}

/** A charge with the 3-D Secure test card, answered requires_action; its challenge page's URL. */
async function chargeNeedingAction(url: string) {
  const paymentId = randomUUID();
  const request = { idempotencyKey: `charge:${paymentId}`, paymentId, amount: { value: 2900, currency: 'EUR' }, paymentMethodToken: 'pm_card_3ds_required' };
  const { status, body } = await postJson(`${url}/charges`, request);
  expect(status).toBe(201);
  const answer = body as { chargeId: string; status: string; nextAction: { type: string; url: string } };
  expect(answer).toMatchObject({ status: 'requires_action', nextAction: { type: 'redirect' } });
  return { request, chargeId: answer.chargeId, challengeUrl: answer.nextAction.url };
}

/** A webhook receiver, a Billing Gates that sends it its webhooks, and a charge waiting on its challenge. */
async function challengeWithReceiver(control: Partial<BillingControl> = {}, statuses: number[] = []) {
  const receiver = await startReceiver(statuses);
  const url = await startBillingGates({ webhookUrl: receiver.url, ...control });
  return { receiver, url, ...(await chargeNeedingAction(url)) };
}

const pageUrl = (challengeUrl: string, returnUrl = RETURN_URL) => `${challengeUrl}?returnUrl=${encodeURIComponent(returnUrl)}`;

async function getPage(url: string) {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, html: await response.text() };
}

/** Clicks one of the page's buttons, as the browser posts its form; the redirect is not followed. */
async function answer(challengeUrl: string, action: 'complete' | 'fail', returnUrl = RETURN_URL) {
  const response = await fetch(`${challengeUrl}/${action}`, { method: 'POST', body: new URLSearchParams({ returnUrl }), redirect: 'manual' });
  return { status: response.status, location: response.headers.get('location'), html: await response.text() };
}

async function ledgerKinds(url: string, paymentId: string): Promise<string[]> {
  const { body } = await getJson(`${url}/__ledger?paymentId=${paymentId}`);
  return (body as { entries: { kind: string }[] }).entries.map((entry) => entry.kind);
}

/** A delivery's body, checked against its signature and the contract. */
function verified(delivery: { headers: IncomingHttpHeaders; body: string }): ChargeSettledWebhook {
  const header = delivery.headers[WEBHOOK_SIGNATURE_HEADER];
  expect(verifyWebhook([SECRET], typeof header === 'string' ? header : undefined, delivery.body)).toMatchObject({ ok: true });
  expect(delivery.headers['content-type']).toBe('application/json');
  return ChargeSettledWebhook.parse(JSON.parse(delivery.body));
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Billing Gates challenge page', () => {
  it('pm_card_3ds_required requires action by default, and its page shows the amount and both answers, carrying returnUrl on, with no script or outside asset', async () => {
    const url = await startBillingGates();
    expect((await getJson(`${url}/__control`)).body).toMatchObject({
      requiresActionTokens: ['pm_card_3ds_required'],
      challengeTtlMs: 600_000,
      webhookUrl: null,
    });
    const { challengeUrl } = await chargeNeedingAction(url);
    expect(challengeUrl).toMatch(new RegExp(`^${url}/challenges/chl_[0-9a-f]{24}$`));
    const page = await getPage(pageUrl(challengeUrl));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self' http://127.0.0.1:3000");
    expect(page.html).toContain('€29.00');
    expect(page.html).toMatch(/<button type="submit" class="complete">Complete authentication<\/button>/);
    expect(page.html).toMatch(/<button type="submit" class="fail">Fail authentication<\/button>/);
    expect(page.html).toContain(`<input type="hidden" name="returnUrl" value="http://127.0.0.1:3000/?paymentId=pay-1">`);
    expect(page.html).not.toMatch(/<script|<link|<img|src=/);
  });

  it('a missing or non-http returnUrl answers a 400 page RETURN_URL_INVALID, on the page and on an answer, and settles nothing; an unknown challenge answers a 404 page', async () => {
    const url = await startBillingGates();
    const { request, challengeUrl } = await chargeNeedingAction(url);
    for (const returnUrl of ['javascript:alert(1)', 'ftp://shop.example/', 'not a url', '//shop.example/', 'http://a;b.example/']) {
      const page = await getPage(pageUrl(challengeUrl, returnUrl));
      expect(page.status).toBe(400);
      expect(page.html).toContain('Error code: RETURN_URL_INVALID');
      expect(await answer(challengeUrl, 'complete', returnUrl)).toMatchObject({ status: 400, location: null });
    }
    const missing = await getPage(challengeUrl);
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('RETURN_URL_INVALID');
    const unknown = await getPage(pageUrl(`${url}/challenges/chl_000000000000000000000000`));
    expect(unknown.status).toBe(404);
    expect(unknown.html).toContain('Error code: CHALLENGE_NOT_FOUND');
    expect((await getJson(`${url}/charges/${encodeURIComponent(request.idempotencyKey)}`)).body).toMatchObject({ status: 'requires_action' });
    expect(await ledgerKinds(url, request.paymentId)).toEqual(['charge-pending']);
  });
});

describe('Billing Gates challenge answers', () => {
  it('completing: 303 to returnUrl, the charge settles once as charged, a signed webhook says succeeded, the lookup and a repeated charge say succeeded, and a second click changes nothing', async () => {
    const { receiver, url, request, chargeId, challengeUrl } = await challengeWithReceiver();

    expect(await answer(challengeUrl, 'complete')).toMatchObject({ status: 303, location: RETURN_URL });
    const [delivery] = await receiver.waitFor(1);
    expect(verified(delivery!)).toEqual({
      id: expect.stringMatching(/^evt_/),
      type: 'charge.settled',
      created: expect.any(String),
      data: { paymentId: request.paymentId, idempotencyKey: request.idempotencyKey, chargeId, status: 'succeeded' },
    });
    expect(await getJson(`${url}/charges/${encodeURIComponent(request.idempotencyKey)}`)).toEqual({
      status: 200,
      body: { idempotencyKey: request.idempotencyKey, paymentId: request.paymentId, amount: request.amount, status: 'succeeded', chargeId },
    });
    expect(await postJson(`${url}/charges`, request)).toEqual({ status: 200, body: { chargeId, status: 'succeeded' } });

    expect(await answer(challengeUrl, 'complete')).toMatchObject({ status: 303, location: RETURN_URL });
    const page = await getPage(pageUrl(challengeUrl));
    expect(page).toMatchObject({ status: 200, html: expect.stringContaining('Authentication completed') });
    expect(page.html).toContain(`<a href="http://127.0.0.1:3000/?paymentId=pay-1">Return to the shop</a>`);
    expect(await answer(challengeUrl, 'fail')).toMatchObject({ status: 409, location: null, html: expect.stringContaining('Error code: CHALLENGE_COMPLETED') });
    await settle(150);
    expect(receiver.received).toHaveLength(1);
    const { body } = await getJson(`${url}/__ledger?paymentId=${request.paymentId}`);
    expect((body as { entries: unknown[] }).entries).toEqual([
      expect.objectContaining({ kind: 'charge-pending', chargeId }),
      expect.objectContaining({ kind: 'charge', chargeId, idempotencyKey: request.idempotencyKey, amount: request.amount }),
    ]);
  });

  it('failing: 303 to returnUrl, the charge is declined AUTHENTICATION_FAILED in the lookup, the ledger and the webhook, nothing is charged, and completing afterwards is refused', async () => {
    const { receiver, url, request, chargeId, challengeUrl } = await challengeWithReceiver();

    expect(await answer(challengeUrl, 'fail')).toMatchObject({ status: 303, location: RETURN_URL });
    const [delivery] = await receiver.waitFor(1);
    expect(verified(delivery!).data).toEqual({
      paymentId: request.paymentId,
      idempotencyKey: request.idempotencyKey,
      chargeId,
      status: 'declined',
      declineCode: 'AUTHENTICATION_FAILED',
    });
    expect((await getJson(`${url}/charges/${encodeURIComponent(request.idempotencyKey)}`)).body).toEqual({
      idempotencyKey: request.idempotencyKey,
      paymentId: request.paymentId,
      amount: request.amount,
      status: 'declined',
      chargeId,
      declineCode: 'AUTHENTICATION_FAILED',
    });
    expect(await postJson(`${url}/charges`, request)).toMatchObject({ status: 402, body: { error: { code: 'AUTHENTICATION_FAILED' } } });
    expect(await answer(challengeUrl, 'fail')).toMatchObject({ status: 303, location: RETURN_URL });
    expect(await answer(challengeUrl, 'complete')).toMatchObject({ status: 409, html: expect.stringContaining('Error code: CHALLENGE_FAILED') });
    expect((await getPage(pageUrl(challengeUrl))).html).toContain('Authentication failed');
    const { body } = await getJson(`${url}/__ledger?paymentId=${request.paymentId}`);
    expect((body as { entries: unknown[] }).entries).toEqual([
      expect.objectContaining({ kind: 'charge-pending' }),
      expect.objectContaining({ kind: 'decline', chargeId, declineCode: 'AUTHENTICATION_FAILED', amount: request.amount }),
    ]);
    await settle(150);
    expect(receiver.received).toHaveLength(1);
  });

  it('a challenge not answered within challengeTtlMs expires as declined AUTHENTICATION_ABANDONED, with its webhook; its page says so and an answer is refused', async () => {
    const { receiver, url, request, chargeId, challengeUrl } = await challengeWithReceiver({ challengeTtlMs: 50 });

    const [delivery] = await receiver.waitFor(1);
    expect(verified(delivery!).data).toMatchObject({ chargeId, status: 'declined', declineCode: 'AUTHENTICATION_ABANDONED' });
    expect((await getJson(`${url}/charges/${encodeURIComponent(request.idempotencyKey)}`)).body).toMatchObject({
      status: 'declined',
      declineCode: 'AUTHENTICATION_ABANDONED',
    });
    expect((await getPage(pageUrl(challengeUrl))).html).toContain('Authentication expired');
    expect(await answer(challengeUrl, 'complete')).toMatchObject({ status: 409, html: expect.stringContaining('Error code: CHALLENGE_EXPIRED') });
    expect(await ledgerKinds(url, request.paymentId)).toEqual(['charge-pending', 'decline']);
  });

  it('a void of the pending charge wins: completing afterwards is refused with a page that says the shop cancelled it, nothing is charged and no webhook is sent', async () => {
    const { receiver, url, request, challengeUrl } = await challengeWithReceiver();
    expect((await postJson(`${url}/charges/${encodeURIComponent(request.idempotencyKey)}/void`, { paymentId: request.paymentId })).body).toMatchObject({
      status: 'voided',
    });
    const refused = await answer(challengeUrl, 'complete');
    expect(refused).toMatchObject({ status: 409, location: null });
    expect(refused.html).toContain('The shop cancelled this payment');
    expect(refused.html).toContain('Error code: CHARGE_VOIDED');
    expect((await getJson(`${url}/charges/${encodeURIComponent(request.idempotencyKey)}`)).body).toMatchObject({ status: 'voided' });
    expect(await ledgerKinds(url, request.paymentId)).toEqual(['charge-pending', 'void']);
    await settle(150);
    expect(receiver.received).toEqual([]);
  });

  it('with no webhook URL the answer still settles the charge, and no webhook is sent', async () => {
    const url = await startBillingGates();
    const { request, challengeUrl } = await chargeNeedingAction(url);
    expect(await answer(challengeUrl, 'complete')).toMatchObject({ status: 303 });
    expect((await getJson(`${url}/charges/${encodeURIComponent(request.idempotencyKey)}`)).body).toMatchObject({ status: 'succeeded' });
    expect(await ledgerKinds(url, request.paymentId)).toEqual(['charge-pending', 'charge']);
  });
});

describe('Billing Gates webhooks', () => {
  it('a receiver that answers 500 twice, then 200, gets three deliveries of one event id, each signed afresh; the metrics count them', async () => {
    const { receiver, url, challengeUrl } = await challengeWithReceiver({}, [500, 500]);
    await answer(challengeUrl, 'complete');

    const deliveries = await receiver.waitFor(3);
    const ids = deliveries.map((delivery) => verified(delivery).id);
    expect(new Set(ids).size).toBe(1);
    await settle(150);
    expect(receiver.received).toHaveLength(3);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('payflow_stand_in_webhook_deliveries_total{result="failed"} 2');
    expect(metrics).toContain('payflow_stand_in_webhook_deliveries_total{result="delivered"} 1');
    expect(metrics).toContain('payflow_stand_in_webhook_retries_total 2');
    expect(metrics).toContain('payflow_stand_in_challenges_total{event="asked"} 1');
    expect(metrics).toContain('payflow_stand_in_challenges_total{event="completed"} 1');
  });

  it('with webhookDeliveries 2, each webhook is delivered twice, with the same event id and body', async () => {
    const { receiver, challengeUrl } = await challengeWithReceiver({ webhookDeliveries: 2 });
    await answer(challengeUrl, 'fail');

    const [first, second] = await receiver.waitFor(2);
    expect(verified(second!)).toEqual(verified(first!));
    await settle(150);
    expect(receiver.received).toHaveLength(2);
  });

  it('with webhookPaused, the charge settles at once but its webhook waits, and is delivered once deliveries are unpaused', async () => {
    const { receiver, url, request, challengeUrl } = await challengeWithReceiver({ webhookPaused: true });
    await answer(challengeUrl, 'complete');
    expect((await getJson(`${url}/charges/${encodeURIComponent(request.idempotencyKey)}`)).body).toMatchObject({ status: 'succeeded' });
    await settle(150);
    expect(receiver.received).toEqual([]);

    expect((await postJson(`${url}/__control`, { webhookPaused: false })).status).toBe(200);
    const [delivery] = await receiver.waitFor(1);
    expect(verified(delivery!).data).toMatchObject({ paymentId: request.paymentId, status: 'succeeded' });
  });

  it('a webhook URL that is not http(s), or deliveries outside 1..5, are refused with 400 INVALID_CONTROL', async () => {
    const url = await startBillingGates();
    for (const update of [
      { webhookUrl: 'ftp://example.com/' },
      { webhookUrl: 'nope' },
      { webhookDeliveries: 0 },
      { webhookDeliveries: 6 },
      { challengeTtlMs: 0 },
    ]) {
      expect(await postJson(`${url}/__control`, update)).toMatchObject({ status: 400, body: { error: { code: 'INVALID_CONTROL' } } });
    }
  });
});
