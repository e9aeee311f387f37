import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderKustomization } from '../../deploy/k8s/render-kustomization.js';
import { loadConfig, type BffConfig } from '../../server/config.js';
import { startOfFreshMinute } from './harness/minute-window.js';
import { paymentRequest, postPayment } from './harness/shopper.js';
import { handshakeOnce } from './harness/socket-handshake.js';
import { startSystem, type System } from './harness/system.js';

/**
 * Who a client is, for the per-client limits, behind the load balancer as each deployment sets
 * TRUST_PROXY. The test process stands for the load balancer: it connects to the BFF and sends
 * the X-Forwarded-For the balancer would, having received the shopper's request from a private
 * address that appends nothing (a node's SNAT, Docker's port forwarding). Whatever the shopper
 * wrote before that hop must not decide which counter it uses.
 */

const LIMIT = 5;
const CLIENTS = 100;
const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

function kubernetesTrustProxy(): string {
  const bff = renderKustomization(repo('deploy/k8s/base')).find((m) => m.kind === 'Deployment' && m.metadata.name === 'bff');
  const env = bff?.spec.template.spec.containers[0].env as Array<{ name: string; value?: string }>;
  return String(env.find((e) => e.name === 'TRUST_PROXY')?.value);
}

function composeTrustProxy(): string {
  const compose = parse(readFileSync(repo('docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string> }>;
  };
  return String(compose.services['bff']?.environment?.['TRUST_PROXY']);
}

const deployments = [
  // A node's address on the pod network, as kube-proxy's SNAT shows a shopper to the ingress.
  { name: 'deploy/k8s/base', trustProxy: kubernetesTrustProxy(), privateHop: '10.244.0.1' },
  // The bridge's gateway, as Docker's port forwarding shows a connection to HAProxy.
  { name: 'docker-compose.yml', trustProxy: composeTrustProxy(), privateHop: '172.18.0.1' },
];

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system?.stop();
});

/** A BFF replica with small limits, configured as the environment `env` would configure it. */
async function limitedReplica(env: Record<string, string> = {}): Promise<string> {
  const { TRUST_PROXY } = loadConfig(env);
  const limits: Partial<BffConfig> = { PAYMENT_RATE_LIMIT_PER_MINUTE: LIMIT, SOCKET_HANDSHAKES_PER_MINUTE: LIMIT };
  return (await system.addBffReplica({ ...limits, TRUST_PROXY })).url;
}

const tally = (answers: Array<string | number>) => answers.reduce<Record<string, number>>((counts, a) => ({ ...counts, [a]: (counts[a] ?? 0) + 1 }), {});

async function postAs(url: string, forwardedFor: (i: number) => string): Promise<Record<string, number>> {
  await startOfFreshMinute();
  const statuses: number[] = [];
  for (let i = 1; i <= CLIENTS; i++) statuses.push((await postPayment(url, paymentRequest(), { 'X-Forwarded-For': forwardedFor(i) })).status);
  return tally(statuses);
}

async function handshakeAs(url: string, forwardedFor: (i: number) => string): Promise<Record<string, number>> {
  await startOfFreshMinute();
  const results: string[] = [];
  for (let i = 1; i <= CLIENTS; i++) {
    results.push(await handshakeOnce(url, { paymentId: randomUUID(), clientSecret: 'guess' }, { 'X-Forwarded-For': forwardedFor(i) }));
  }
  return tally(results);
}

describe.each(deployments)('behind the load balancer as $name sets TRUST_PROXY ($trustProxy)', ({ trustProxy, privateHop }) => {
  let bffUrl: string;
  beforeAll(async () => {
    bffUrl = await limitedReplica({ TRUST_PROXY: trustProxy });
  });

  it(`${CLIENTS} POSTs each naming another client before a private hop count as that hop: 429 past the limit`, async () => {
    expect(await postAs(bffUrl, (i) => `198.51.100.${i}, ${privateHop}`)).toEqual({ 202: LIMIT, 429: CLIENTS - LIMIT });
  });

  it(`${CLIENTS} socket handshakes each naming another client before a private hop count as that hop: refused past the limit`, async () => {
    expect(await handshakeAs(bffUrl, (i) => `203.0.113.${i}, ${privateHop}`)).toEqual({ PAYMENT_NOT_FOUND: LIMIT, TOO_MANY_CONNECTIONS: CLIENTS - LIMIT });
  });
});

describe('an IPv6 client counts by its /64, which one subscriber usually holds whole', () => {
  let bffUrl: string;
  beforeAll(async () => {
    bffUrl = await limitedReplica();
  });

  it(`POSTs from ${CLIENTS} addresses of one /64 share one limit`, async () => {
    expect(await postAs(bffUrl, (i) => `2001:db8:5:6::${i.toString(16)}`)).toEqual({ 202: LIMIT, 429: CLIENTS - LIMIT });
  });

  it(`socket handshakes from ${CLIENTS} addresses of one /64 share one limit`, async () => {
    expect(await handshakeAs(bffUrl, (i) => `2001:db8:7:8:${i.toString(16)}::1`)).toEqual({ PAYMENT_NOT_FOUND: LIMIT, TOO_MANY_CONNECTIONS: CLIENTS - LIMIT });
  });
});
