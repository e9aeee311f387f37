import { Router } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { BaseControl, ControlState, DEFAULT_BASE_CONTROL } from './control.js';
import { Ledger } from './ledger.js';
import { createStandInApp } from './stand-in-app.js';
import { getJson, postJson, startServer, testLogger, type RunningServer } from './testing.js';

let server: RunningServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A stand-in whose one business route records an effect, so tests can tell if it ran. */
async function startEcho(initial: Partial<BaseControl> = {}): Promise<RunningServer> {
  const ledger = new Ledger<'echo'>();
  const control = new ControlState(BaseControl.partial().strict(), { ...DEFAULT_BASE_CONTROL, ...initial });
  const routes = Router();
  routes.post('/echo', (req, res) => {
    ledger.record('echo', 'pay-1', { body: req.body as unknown });
    res.status(201).json({ echoed: true });
  });
  server = await startServer(createStandInApp({ name: 'Echo', logger: testLogger(), ledger, control, routes }));
  return server;
}

describe('stand-in control and housekeeping', () => {
  it('when nothing is set, a business request runs and its effect is in the ledger', async () => {
    const { url } = await startEcho();
    expect((await postJson(`${url}/echo`, { n: 1 })).status).toBe(201);
    expect((await getJson(`${url}/__ledger`)).body).toEqual({
      entries: [{ seq: 1, kind: 'echo', paymentId: 'pay-1', at: expect.any(String), body: { n: 1 } }],
    });
  });

  it('when a partial control update is posted, it merges and the full state comes back', async () => {
    const { url } = await startEcho();
    const answer = await postJson(`${url}/__control`, { errorRate: 0.25 });
    expect(answer).toEqual({ status: 200, body: { latencyMs: 0, errorRate: 0.25, down: false, brokenAnswerRate: 0, effectDelayMs: 0 } });
    expect((await getJson(`${url}/__control`)).body).toEqual({ latencyMs: 0, errorRate: 0.25, down: false, brokenAnswerRate: 0, effectDelayMs: 0 });
  });

  it('when a control update is out of range or names an unknown field, it is refused with 400 and nothing changes', async () => {
    const { url } = await startEcho();
    for (const update of [{ errorRate: 2 }, { latencyMs: -1 }, { latencyMs: 1.5 }, { down: 'yes' }, { latency: 10 }]) {
      const answer = await postJson(`${url}/__control`, update);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'INVALID_CONTROL' } });
    }
    expect((await getJson(`${url}/__control`)).body).toEqual(DEFAULT_BASE_CONTROL);
  });

  it('when down, business routes answer 503 SERVICE_DOWN without running, while housekeeping routes still answer', async () => {
    const { url } = await startEcho({ down: true });
    const answer = await postJson(`${url}/echo`, {});
    expect(answer).toEqual({ status: 503, body: { error: { code: 'SERVICE_DOWN', message: expect.any(String) } } });
    expect((await getJson(`${url}/healthz`)).status).toBe(200);
    expect((await getJson(`${url}/__control`)).status).toBe(200);
    expect((await getJson(`${url}/__ledger`)).body).toEqual({ entries: [] });
  });

  it('when errorRate is 1, business routes answer 500 INJECTED_ERROR and leave no effect', async () => {
    const { url } = await startEcho({ errorRate: 1 });
    const answer = await postJson(`${url}/echo`, {});
    expect(answer).toEqual({ status: 500, body: { error: { code: 'INJECTED_ERROR', message: expect.any(String) } } });
    expect((await getJson(`${url}/__ledger`)).body).toEqual({ entries: [] });
  });

  it('when latencyMs is set, a business request answers no sooner, and housekeeping is not delayed', async () => {
    const { url } = await startEcho({ latencyMs: 200 });
    let started = performance.now();
    await postJson(`${url}/echo`, {});
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    started = performance.now();
    await getJson(`${url}/__ledger`);
    expect(performance.now() - started).toBeLessThan(150);
  });

  it('when the body is not JSON, the answer is a 400 JSON error, not an HTML page', async () => {
    const { url } = await startEcho();
    const response = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"broken":',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ error: { code: 'INVALID_JSON', message: expect.any(String) } });
  });

  it('when a path is unknown, the answer is a 404 JSON error', async () => {
    const { url } = await startEcho();
    expect(await getJson(`${url}/nowhere`)).toEqual({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: expect.any(String) } },
    });
  });

  it('when brokenAnswerRate is 1, a business request keeps its effect but its 2xx JSON answer is cut short', async () => {
    const { url } = await startEcho({ brokenAnswerRate: 1 });
    const response = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
    expect(response.status).toBe(201);
    const text = await response.text();
    expect('{"echoed":true}'.startsWith(text)).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect((await getJson(`${url}/__ledger`)).body).toMatchObject({ entries: [{ kind: 'echo' }] });
    // Housekeeping and error answers stay readable.
    expect((await getJson(`${url}/__control`)).body).toMatchObject({ brokenAnswerRate: 1 });
    expect((await postJson(`${url}/nowhere`, {})).status).toBe(404);
  });
  it('counts the calls to its test hooks in /metrics: each control read or change, and each ledger read', async () => {
    const { url } = await startEcho();
    await getJson(`${url}/__control`);
    await postJson(`${url}/__control`, { latencyMs: 5 });
    await postJson(`${url}/__control`, { latencyMs: -1 }); // refused, still a call
    await getJson(`${url}/__ledger`);
    await postJson(`${url}/echo`, {});
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('payflow_stand_in_hook_requests_total{hook="control",method="GET"} 1');
    expect(metrics).toContain('payflow_stand_in_hook_requests_total{hook="control",method="POST"} 2');
    expect(metrics).toContain('payflow_stand_in_hook_requests_total{hook="ledger",method="GET"} 1');
  });
});
