import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../infra/free-port.js';
import { startLocalRedis, type LocalRedis } from '../../infra/redis/local-redis.js';
import { createLogger } from '../../lib/logger.js';
import { DEVELOPMENT_OPS_TOKEN } from '../../server/ops/ops-session.js';
import { freezeListener } from './harness/freeze-listener.js';
import { pay } from './harness/shopper.js';
import { startSystem, type System } from './harness/system.js';

/**
 * The reads a person waits on (the page's status poll, the operators' lookups) when the BFF's
 * Redis is away. It is a Redis of this file's own, so freezing and stopping it touches no other
 * test's data.
 */
let stateDir: string;
let redisPort: number;
let redis: LocalRedis;
let system: System;
let payment: Awaited<ReturnType<typeof pay>>;
let cookie: string;

const startRedis = () => startLocalRedis({ port: redisPort, dir: join(stateDir, 'redis'), log: createLogger('test-redis', 'warn') });

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'payflow-redis-outage-'));
  [redisPort] = (await freePorts(1)) as [number];
  redis = await startRedis();
  system = await startSystem({ redisUrl: redis.url });
  payment = await pay(system.bffUrl);
  const signIn = await fetch(`${system.bffUrl}/ops/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: DEVELOPMENT_OPS_TOKEN }),
  });
  cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(async () => {
  await system?.stop();
  await redis?.stop();
  if (stateDir !== undefined) await rm(stateDir, { recursive: true, force: true });
});

/** The reads, each as its caller makes it. */
const reads = (): Array<{ name: string; path: string; headers: Record<string, string> }> => [
  { name: 'status poll', path: `/api/payments/${payment.paymentId}`, headers: { authorization: `Bearer ${payment.clientSecret}` } },
  { name: 'lookup by id', path: `/ops/api/payments/${payment.paymentId}`, headers: { cookie } },
  { name: 'lookup by email', path: `/ops/api/payments?email=${encodeURIComponent(payment.request.customer.email)}`, headers: { cookie } },
];

interface Answer {
  name: string;
  status: number;
  code: unknown;
  retryAfter: string | null;
  ms: number;
}

/** Each read once; a read that hangs is cut off by the client after 15 s and reported as status 0. */
async function answers(): Promise<Answer[]> {
  return Promise.all(
    reads().map(async ({ name, path, headers }) => {
      const started = performance.now();
      try {
        const response = await fetch(`${system.bffUrl}${path}`, { headers, signal: AbortSignal.timeout(15_000) });
        const body = (await response.json()) as { error?: { code?: unknown } };
        return { name, status: response.status, code: body.error?.code, retryAfter: response.headers.get('retry-after'), ms: performance.now() - started };
      } catch (err) {
        return { name, status: 0, code: String(err), retryAfter: null, ms: performance.now() - started };
      }
    }),
  );
}

/** Every read answered 503 STORE_UNAVAILABLE with a Retry-After. */
const allUnavailable = (): unknown[] =>
  reads().map(({ name }): unknown => expect.objectContaining({ name, status: 503, code: 'STORE_UNAVAILABLE', retryAfter: expect.stringMatching(/^\d+$/) }));

describe('reads while Redis is away', () => {
  it('while Redis does not answer (frozen), the status poll and both operator lookups answer 503 STORE_UNAVAILABLE within 5 s', async () => {
    const thaw = freezeListener(redisPort);
    let got: Answer[];
    try {
      got = await answers();
    } finally {
      thaw();
    }
    expect(got).toEqual(allUnavailable());
    for (const answer of got) expect(answer.ms).toBeLessThan(5_000);
    // Once it answers again, so do they.
    expect((await answers()).map(({ status }) => status)).toEqual([200, 200, 200]);
  });

  it('while Redis refuses connections (stopped), they answer 503 STORE_UNAVAILABLE within 5 s, and 200 once it is back', async () => {
    await redis.stop();
    let got: Answer[];
    try {
      got = await answers();
    } finally {
      redis = await startRedis();
    }
    expect(got).toEqual(allUnavailable());
    for (const answer of got) expect(answer.ms).toBeLessThan(5_000);
    const deadline = Date.now() + 10_000;
    let statuses = (await answers()).map(({ status }) => status);
    while (statuses.some((status) => status !== 200) && Date.now() < deadline) statuses = (await answers()).map(({ status }) => status);
    expect(statuses).toEqual([200, 200, 200]);
  });
});
