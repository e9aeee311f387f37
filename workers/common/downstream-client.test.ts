import { randomUUID } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { freePort } from '../../infra/free-port.js';
import { createBillingGatesApp } from '../../stand-ins/billing-gates/app.js';
import { getJson, postJson, startServer, testLogger, type RunningServer } from '../../stand-ins/common/testing.js';
import { createLogger } from '../../lib/logger.js';
import { retrying } from '../../lib/retry-loop.js';
import { BillingGatesClient } from '../billing/billing-gates-client.js';
import { DownstreamClient, TransientDownstreamError } from './downstream-client.js';
import { expectOk } from './expect-ok.js';

let server: RunningServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function billingGates(): Promise<string> {
  server = await startServer(createBillingGatesApp({ logger: testLogger() }));
  return server.url;
}

/** A service that answers every request with `status` and the given Retry-After header. */
async function answering(status: number, retryAfter: string): Promise<string> {
  server = await startServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', 'retry-after': retryAfter });
    res.end(JSON.stringify({ error: { code: 'BUSY', message: 'busy' } }));
  });
  return server.url;
}

/**
 * A service that answers 201 with a charge padded to `totalBytes` of valid JSON, written as fast
 * as the client reads it; `sent()` is how much of it went out before the client hung up.
 */
async function answeringHuge(totalBytes: number, declareLength: boolean): Promise<{ url: string; sent: () => number }> {
  let sent = 0;
  server = await startServer((_req, res) => {
    const head = '{"chargeId":"ch_huge","status":"succeeded","padding":"';
    const tail = '"}';
    const chunk = 'x'.repeat(64 * 1024);
    res.writeHead(201, { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(totalBytes) } : {}) });
    let closed = false;
    res.on('close', () => (closed = true));
    const write = (text: string) => {
      sent += text.length;
      return res.write(text);
    };
    const pump = () => {
      while (!closed && sent + chunk.length + tail.length <= totalBytes) {
        if (!write(chunk)) return void res.once('drain', pump);
      }
      if (!closed) res.end(`${'x'.repeat(totalBytes - sent - tail.length)}${tail}`);
    };
    write(head);
    pump();
  });
  return { url: server.url, sent: () => sent };
}

async function transientError(url: string): Promise<TransientDownstreamError> {
  const err: unknown = await new DownstreamClient('billing-gates', url, new Registry()).post('/charges', charge()).catch((e: unknown) => e);
  if (!(err instanceof TransientDownstreamError)) throw new Error(`expected a TransientDownstreamError, got ${String(err)}`);
  return err;
}

function charge() {
  const paymentId = randomUUID();
  return { idempotencyKey: `charge:${paymentId}`, paymentId, amount: { value: 900, currency: 'EUR' }, paymentMethodToken: 'pm_card_ok' };
}

/** What a signal keeps of the composites made from it with AbortSignal.any (Node's internal set), if any. */
function dependants(signal: AbortSignal): number {
  const symbol = Object.getOwnPropertySymbols(signal).find((s) => s.description === 'kDependantSignals');
  const set = symbol === undefined ? undefined : (signal as unknown as Record<symbol, Set<unknown> | undefined>)[symbol];
  return set?.size ?? 0;
}

describe('DownstreamClient', () => {
  it('after many calls under one long-lived signal, the signal holds no listener and no composite of them', async () => {
    const url = await billingGates();
    const client = new DownstreamClient('billing-gates', url, new Registry(), 2_000);
    const processLifetime = new AbortController();
    for (let i = 0; i < 300; i++) await client.post('/charges', charge(), processLifetime.signal);
    await expect(client.post('/nowhere', {}, processLifetime.signal)).resolves.toMatchObject({ status: 404 });
    expect(getEventListeners(processLifetime.signal, 'abort')).toHaveLength(0);
    expect(dependants(processLifetime.signal)).toBe(0);
  });

  it("aborting the caller's signal ends a call in flight as transient", async () => {
    const url = await billingGates();
    await postJson(`${url}/__control`, { latencyMs: 2_000 });
    const client = new DownstreamClient('billing-gates', url, new Registry(), 5_000);
    const stopping = new AbortController();
    setTimeout(() => stopping.abort(), 100);
    const started = performance.now();
    await expect(client.post('/charges', charge(), stopping.signal)).rejects.toBeInstanceOf(TransientDownstreamError);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(getEventListeners(stopping.signal, 'abort')).toHaveLength(0);
  });

  it('a call that takes longer than the timeout ends as transient after about the timeout, and may have been carried out', async () => {
    const url = await billingGates();
    await postJson(`${url}/__control`, { latencyMs: 2_000 });
    const client = new DownstreamClient('billing-gates', url, new Registry(), 300);
    const started = performance.now();
    await expect(client.post('/charges', charge())).rejects.toMatchObject({ name: 'TransientDownstreamError', effect: 'unknown' });
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('a 503 and a refused connection are transient and did nothing downstream', async () => {
    const url = await billingGates();
    await postJson(`${url}/__control`, { down: true });
    expect(await transientError(url)).toMatchObject({ effect: 'none' });
    const unused = await freePort();
    expect(await transientError(`http://127.0.0.1:${unused}`)).toMatchObject({ effect: 'none', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('a 2xx whose body is cut short is transient: the charge happened and a retry under the same key reads it', async () => {
    const url = await billingGates();
    await postJson(`${url}/__control`, { brokenAnswerRate: 1 });
    const client = new DownstreamClient('billing-gates', url, new Registry());
    const request = charge();
    await expect(client.post('/charges', request)).rejects.toMatchObject({ name: 'TransientDownstreamError', effect: 'unknown' });
    await postJson(`${url}/__control`, { brokenAnswerRate: 0 });
    expect(await client.post('/charges', request)).toEqual({ status: 200, body: { chargeId: expect.stringMatching(/^ch_/), status: 'succeeded' } });
  });

  it.each([
    ['with its Content-Length', true],
    ['chunked', false],
  ])('a 2xx with a 32 MB body (%s) is not read whole: the call ends as transient, an answer that could not be read', async (_how, declareLength) => {
    const total = 32 * 1024 * 1024;
    const huge = await answeringHuge(total, declareLength);
    const err = await transientError(huge.url);
    expect(err).toMatchObject({ effect: 'unknown', message: expect.stringMatching(/larger than/) });
    // What the kernel's socket buffers took before the connection closed, not the body.
    expect(huge.sent()).toBeLessThan(total / 4);
  });

  it('a 2xx whose JSON does not match its schema is transient, a 4xx is permanent', () => {
    const schema = z.object({ chargeId: z.string() });
    expect(() => expectOk('billing-gates', { status: 201, body: { id: 'x' } }, schema, 'charge')).toThrow(TransientDownstreamError);
    expect(() => expectOk('billing-gates', { status: 201, body: null }, schema, 'charge')).toThrow(TransientDownstreamError);
    expect(() => expectOk('billing-gates', { status: 409, body: { error: { code: 'X', message: 'no' } } }, schema, 'charge')).toThrow(
      /BILLING_GATES_REFUSED|refused the charge/,
    );
  });

  it('the transient error says a retry may help, the 4xx that it cannot, each with its code', () => {
    const schema = z.object({ chargeId: z.string() });
    const thrown = (answer: { status: number; body: unknown }) => {
      try {
        expectOk('billing-gates', answer, schema, 'charge');
      } catch (err) {
        return err;
      }
      throw new Error(`HTTP ${answer.status} was taken as a charge`);
    };
    expect(thrown({ status: 201, body: null })).toMatchObject({ code: 'DOWNSTREAM_UNAVAILABLE', retryable: true });
    expect(thrown({ status: 409, body: { error: { code: 'X', message: 'no' } } })).toMatchObject({
      name: 'PermanentError',
      code: 'BILLING_GATES_REFUSED',
      retryable: false,
    });
  });

  it('a 429 with Retry-After: 2 is transient and carries the 2 s asked for; a 503 with an HTTP date carries the time until then', async () => {
    expect(await transientError(await answering(429, '2'))).toMatchObject({ retryAfterMs: 2_000 });
    await server?.close();
    const inThreeSeconds = new Date(Date.now() + 3_000).toUTCString();
    const { retryAfterMs } = await transientError(await answering(503, inThreeSeconds));
    expect(retryAfterMs).toBeGreaterThan(1_000);
    expect(retryAfterMs).toBeLessThanOrEqual(3_000);
  });

  it('a Retry-After above 30 s is honoured for 30 s at most, and an unreadable one not at all', async () => {
    expect(await transientError(await answering(429, '3600'))).toMatchObject({ retryAfterMs: 30_000 });
    await server?.close();
    expect((await transientError(await answering(429, 'soon'))).retryAfterMs).toBeUndefined();
  });

  it('when Billing Gates is over its capacity, a charge retried as the consumer retries it waits for Retry-After, reuses its key, and charges once', async () => {
    const url = await billingGates();
    await postJson(`${url}/__control`, { maxChargesPerSecond: 1 });
    const gates = new BillingGatesClient(new DownstreamClient('billing-gates', url, new Registry()));
    // Three at once at one a second: even if they straddle a window, one of them is refused.
    const payments = [charge(), charge(), charge()];
    const attempts = new Map<string, number[]>();
    await Promise.all(
      payments.map(({ paymentId, amount, paymentMethodToken }) =>
        retrying(
          async () => {
            attempts.set(paymentId, [...(attempts.get(paymentId) ?? []), performance.now()]);
            await gates.charge({ paymentId, amount, paymentMethodToken });
          },
          { signals: [], logger: createLogger('test', 'silent') },
        ),
      ),
    );
    const [first = 0, second = 0] = [...attempts.values()].find((times) => times.length > 1) ?? [];
    expect(second - first).toBeGreaterThanOrEqual(990);
    const { body } = await getJson(`${url}/__ledger?kind=charge`);
    const charged = (body as { entries: { paymentId: string }[] }).entries.map((entry) => entry.paymentId);
    expect(charged.sort()).toEqual(payments.map((p) => p.paymentId).sort());
  });
});
