import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOfFreshMinute } from './harness/minute-window.js';
import { handshakeOnce } from './harness/socket-handshake.js';
import { startSystem, type System } from './harness/system.js';
import { pay, paymentRequest, postPayment, ShopperSocket, signIn } from './harness/shopper.js';

const RATE_LIMIT = 5;
const HANDSHAKE_LIMIT = 8;
const logLines: string[] = [];
let system: System;
let secondReplica: string;

beforeAll(async () => {
  system = await startSystem({ logLines, rateLimitPerMinute: RATE_LIMIT, handshakesPerMinute: HANDSHAKE_LIMIT });
  secondReplica = (await system.addBffReplica()).url;
});
afterAll(async () => {
  await system?.stop();
});

/**
 * An address from one of the documentation ranges (RFC 5737): a client of its own for one test.
 * Each call a new one: two tests of this file drawing the same address at random in the same minute
 * shared one rate limit, and the second was refused 429 within its limit.
 */
let addressesGiven = 0;
const testNetAddress = (net: '192.0.2' | '198.51.100' | '203.0.113') => `${net}.${1 + (addressesGiven++ % 254)}`;

describe('hostile input', () => {
  it('the payment rate limit holds across two replicas: 429 with Retry-After once the shared count is used up', async () => {
    await startOfFreshMinute();
    // One client of its own, as the load balancer would name it, so other tests' requests do not count.
    const client = { 'X-Forwarded-For': testNetAddress('198.51.100') };
    const answers: number[] = [];
    for (let i = 0; i < RATE_LIMIT; i++) {
      answers.push((await postPayment(i % 2 === 0 ? system.bffUrl : secondReplica, paymentRequest(), client)).status);
    }
    expect(answers).toEqual(Array(RATE_LIMIT).fill(202));
    const refused = await postPayment(secondReplica, paymentRequest(), client);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await postPayment(system.bffUrl, paymentRequest(), client)).status).toBe(429);
    // Another client is not held back by this one.
    expect((await postPayment(system.bffUrl, paymentRequest(), { 'X-Forwarded-For': testNetAddress('192.0.2') })).status).toBe(202);
  });

  it('a POST refused with 429 claims nothing: its Idempotency-Key then serves another body from another client', async () => {
    await startOfFreshMinute();
    const client = { 'X-Forwarded-For': testNetAddress('198.51.100') };
    for (let i = 0; i < RATE_LIMIT; i++) expect((await postPayment(system.bffUrl, paymentRequest(), client)).status).toBe(202);
    const idempotencyKey = randomUUID();
    expect((await postPayment(system.bffUrl, paymentRequest(), { ...client, 'Idempotency-Key': idempotencyKey })).status).toBe(429);
    // Had the refused request claimed the key, another body with it would be answered 409.
    const other = await postPayment(secondReplica, paymentRequest(), { 'X-Forwarded-For': testNetAddress('192.0.2'), 'Idempotency-Key': idempotencyKey });
    expect(other.status).toBe(202);
  });

  it("a socket from another site's page is refused before the handshake", async () => {
    expect(await handshakeOnce(system.bffUrl, { paymentId: randomUUID(), clientSecret: 'x' }, { origin: 'http://evil.example' })).toBe('websocket error');
  });

  it('the socket handshake rate limit holds across replicas', async () => {
    await startOfFreshMinute();
    const client = { 'X-Forwarded-For': testNetAddress('203.0.113') };
    const results: string[] = [];
    for (let i = 0; i < HANDSHAKE_LIMIT + 2; i++) {
      results.push(await handshakeOnce(i % 2 === 0 ? system.bffUrl : secondReplica, { paymentId: randomUUID(), clientSecret: 'guess' }, client));
    }
    // Guessing secrets is slowed down: past the limit, not even the guess is looked at.
    expect(results.slice(0, HANDSHAKE_LIMIT).every((r) => r === 'PAYMENT_NOT_FOUND')).toBe(true);
    expect(results.slice(HANDSHAKE_LIMIT)).toEqual(['TOO_MANY_CONNECTIONS', 'TOO_MANY_CONNECTIONS']);
  });

  it('security headers and a strict Content-Security-Policy are sent', async () => {
    const response = await fetch(`${system.bffUrl}/api/plans`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`form-action 'self' ${new URL(system.saasUrl).origin}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('a payment sent as anything but JSON is refused with 415', async () => {
    const response = await fetch(`${system.bffUrl}/api/payments`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'planId=team' });
    expect(response.status).toBe(415);
  });

  it('a known path with the wrong method answers 405 with Allow', async () => {
    const response = await fetch(`${system.bffUrl}/api/payments`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('the OpenAPI document and its reference page are served', async () => {
    const document = (await (await fetch(`${system.bffUrl}/api/openapi.json`)).json()) as { openapi: string; paths: object };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/payments', '/api/payments/{paymentId}', '/api/plans']));
    const page = await (await fetch(`${system.bffUrl}/api/docs`)).text();
    expect(page).toContain('POST /api/payments');
  });
});

describe('secrets stay secret', () => {
  it('after a full payment and sign-in, no log line of any process holds the client secret or the SSO token', async () => {
    const payment = await pay(secondReplica);
    const shopper = new ShopperSocket(system.bffUrl, payment);
    let token: string;
    try {
      const confirmed = await shopper.waitFor('confirmed');
      token = confirmed.signIn!.ssoToken;
      expect((await signIn(confirmed.signIn!.landingUrl, token)).status).toBe(303);
    } finally {
      shopper.close();
    }
    const logs = logLines.join('');
    expect(logs).toContain(payment.paymentId);
    expect(logs).not.toContain(payment.clientSecret);
    expect(logs).not.toContain(token);
  });
});
