import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openDeployment } from './deployment.js';

/** A server answering each path with the status given, 404 elsewhere: the deployment's side of the checks. */
async function serving(statuses: Record<string, number>): Promise<string> {
  const server = createServer((req, res) => {
    res.statusCode = statuses[req.url ?? ''] ?? 404;
    res.end(req.url === '/metrics' ? 'nodejs_eventloop_lag_p50_seconds 0.0101\n' : '');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const unverified = { againstUdi: undefined, againstPids: [], verifyToken: false };

describe('openDeployment', () => {
  it('drives the URL with an address per shopper, reads its /metrics, and counts no CPU without pids', async () => {
    const url = await serving({ '/readyz': 200, '/metrics': 200 });
    const { target, deployment } = await openDeployment(url, unverified);
    expect(deployment).toEqual({ url, udiUrl: null, metricsUrl: `${url}/metrics`, pids: [] });
    expect(target.urls).toEqual({ bff: url, udi: undefined });
    expect(target.metricsUrls).toEqual({ bff: `${url}/metrics` });
    expect(target.processes()).toEqual([]);
    expect(await target.redisCounts()).toBeNull();
    expect(target.clientAddress?.(0)).toBe('198.18.0.1');
  });

  it('when /metrics does not answer, goes on without it and says so', async () => {
    const url = await serving({ '/readyz': 200 });
    const { target, deployment } = await openDeployment(url, unverified);
    expect(deployment.metricsUrl).toBeNull();
    expect(target.metricsUrls).toEqual({});
  });

  it('when the BFF is not ready, stops with DEPLOYMENT_NOT_READY and its answer', async () => {
    const url = await serving({ '/readyz': 503 });
    await expect(openDeployment(url, unverified)).rejects.toMatchObject({
      code: 'DEPLOYMENT_NOT_READY',
      message: expect.stringMatching(/\/readyz answered 503: /) as unknown,
    });
  });

  it('when nothing listens at the URL, stops with DEPLOYMENT_NOT_READY and why', async () => {
    const url = await serving({});
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
    await expect(openDeployment(url, unverified)).rejects.toMatchObject({
      code: 'DEPLOYMENT_NOT_READY',
      message: expect.stringMatching(/could not be reached \(ECONNREFUSED\)/) as unknown,
    });
  });

  it('verifies tokens with Udi once Udi answers, and stops with DEPLOYMENT_UDI_UNREACHABLE when it does not', async () => {
    const url = await serving({ '/readyz': 200 });
    const udi = await serving({ '/healthz': 200 });
    const { target, deployment } = await openDeployment(url, { againstUdi: udi, againstPids: [], verifyToken: true });
    expect(deployment.udiUrl).toBe(udi);
    expect(target.urls.udi).toBe(udi);
    const notUdi = await serving({});
    await expect(openDeployment(url, { againstUdi: notUdi, againstPids: [], verifyToken: true })).rejects.toMatchObject({ code: 'DEPLOYMENT_UDI_UNREACHABLE' });
  });

  it('with Udi given but --verify-token false, neither checks nor names it', async () => {
    const url = await serving({ '/readyz': 200 });
    const { deployment } = await openDeployment(url, { againstUdi: 'http://127.0.0.1:1', againstPids: [], verifyToken: false });
    expect(deployment.udiUrl).toBeNull();
  });

  it('measures the processes given by pid, the stand-ins apart, and stops with DEPLOYMENT_PID_MISSING for one not running', async () => {
    const url = await serving({ '/readyz': 200 });
    const pids = [
      { name: 'bff', pid: process.pid },
      { name: 'udi', pid: process.pid },
    ];
    const { target } = await openDeployment(url, { ...unverified, againstPids: pids });
    expect(target.processes()).toEqual([
      { name: 'bff', pid: process.pid, group: 'pipeline' },
      { name: 'udi', pid: process.pid, group: 'stand-in' },
    ]);
    await expect(openDeployment(url, { ...unverified, againstPids: [{ name: 'kafka', pid: 2 ** 22 + 1 }] })).rejects.toMatchObject({
      code: 'DEPLOYMENT_PID_MISSING',
      message: expect.stringMatching(/^--against-pids: kafka=4194305: no such process on this machine/) as unknown,
    });
  });
});
