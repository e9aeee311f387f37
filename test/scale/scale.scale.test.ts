import { chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentSnapshot } from '../../contracts/index.js';
import { startChaosSystem, type ChaosSystem } from '../chaos/chaos-system.js';
import { checkLedgers, expectMoneySafe, waitForTerminal } from '../chaos/invariants.js';
import { postPayments } from '../chaos/load.js';
import { control } from '../integration/harness/shopper.js';
import { CHROMIUM_LAUNCH_OPTIONS } from '../../scripts/chromium.js';
import { metricSum } from '../support/metrics.js';
import { shop, type ShopperRun } from './shopper.js';
import { sleep } from '../../lib/sleep.js';

/**
 * Two BFF replicas behind the real load balancer (HAProxy), three billing-worker instances and
 * two order-worker instances, all real processes on a Kafka and a Redis of their own. Shoppers
 * come through the load balancer only, while replicas and workers are killed under them.
 */
let system: ChaosSystem;
beforeAll(async () => {
  system = await startChaosSystem({ suite: 'scale', scale: { bffReplicas: 2, billingWorkers: 3, orderWorkers: 2 } });
});
afterAll(async () => {
  await system?.stop();
});

const SHOPPERS = 200;
const RATE = 40; // shoppers arriving per second
/** A card processor slow enough that shoppers sit on their sockets while a replica goes away. */
const CHARGE_LATENCY_MS = 1_000;

interface Spread {
  replica: string;
  /** Payments it answered 202 (since `since`, when given); sockets it holds right now. */
  accepted: number | 'down';
  socketsConnected: number | 'down';
}

/** What each replica's /metrics says. */
async function spread(since: Spread[] = []): Promise<Spread[]> {
  const read = (url: string, name: string) => metricSum(url, name).catch(() => 'down' as const);
  return Promise.all(
    system.urls.replicas.map(async (url, i) => {
      const accepted = await read(url, 'payflow_payments_accepted_total');
      const before = since[i]?.accepted;
      return {
        replica: `bff-${i + 1}`,
        accepted: typeof accepted === 'number' && typeof before === 'number' ? accepted - before : accepted,
        socketsConnected: await read(url, 'payflow_sockets_connected'),
      };
    }),
  );
}

/**
 * Starts a process a test stopped again, unless it is running (the test failed before stopping
 * it); a replica, until the load balancer has seen it ready twice (rise 2, one check a second).
 */
async function bringBack(name: string, url: string): Promise<void> {
  const running = await fetch(`${url}/healthz`).then(
    (response) => response.ok,
    () => false,
  );
  if (running) return;
  await system.restart(name);
  if (name.startsWith('bff')) await sleep(3_000);
}
const replicaUrl = (name: string) => system.urls.replicas[Number(name.split('-')[1]) - 1]!;

function report(title: string, rows: object[]): void {
  console.info(`scale: ${title}\n${rows.map((row) => `  ${JSON.stringify(row)}`).join('\n')}`);
}

/** `count` shoppers arriving at RATE through the load balancer; `halfway` runs when half have arrived. */
async function crowd(count: number, halfway: () => Promise<void>): Promise<ShopperRun[]> {
  const runs: Array<Promise<ShopperRun>> = [];
  let disruption: Promise<void> = Promise.resolve();
  for (let i = 0; i < count; i++) {
    runs.push(shop(system.urls.bff, i, 180_000));
    if (i === count / 2) disruption = halfway();
    await sleep(1_000 / RATE);
  }
  await disruption;
  return Promise.all(runs);
}

async function exactlyOneChargeEach(runs: ShopperRun[]): Promise<void> {
  const snapshots = new Map<string, PaymentSnapshot>(runs.map((run) => [run.payment.paymentId, run.final]));
  const counts = await checkLedgers(system.urls, snapshots, { kafka: { brokers: system.kafkaBrokers, topics: system.topics } });
  expect(counts.payments).toBe(runs.length);
  expect(counts.charges).toBe(runs.length);
  expectMoneySafe(counts);
}

const totals = (runs: ShopperRun[]) => ({
  shoppers: runs.length,
  confirmed: runs.filter((run) => run.final.status === 'confirmed').length,
  reconnects: runs.reduce((sum, run) => sum + run.reconnects, 0),
  resumed: runs.reduce((sum, run) => sum + run.recovered, 0),
  refusedPosts: runs.reduce((sum, run) => sum + run.refusedPosts, 0),
});

describe('scale: BFF replicas behind the load balancer, several instances of each worker', () => {
  beforeAll(() => control(system.urls.billingGates, { latencyMs: CHARGE_LATENCY_MS }));

  it(`${SHOPPERS} shoppers all reach confirmed while one BFF replica is SIGKILLed halfway`, async () => {
    try {
      const start = await spread();
      let before: Spread[] = [];
      const runs = await crowd(SHOPPERS, async () => {
        before = await spread(start);
        await system.kill('bff-1');
      });
      report('load spread when bff-1 was SIGKILLed (from each replica /metrics)', before);
      report(`${SHOPPERS} shoppers, bff-1 SIGKILLed halfway; by the end`, [totals(runs), ...(await spread(start))]);

      expect(runs.every((run) => run.final.status === 'confirmed')).toBe(true);
      for (const replica of before) {
        expect(replica.accepted).toBeGreaterThan(0);
        expect(replica.socketsConnected).toBeGreaterThan(0);
      }
      expect(totals(runs).refusedPosts).toBe(0); // the balancer retried what the dead replica dropped
      expect(totals(runs).reconnects).toBeGreaterThan(0); // bff-1's shoppers came back through the balancer
      await exactlyOneChargeEach(runs);
    } finally {
      await bringBack('bff-1', replicaUrl('bff-1'));
    }
  });

  it('a replica stopped with SIGTERM drains: no shopper sees an error, and its sockets resume on the other replica', async () => {
    try {
      // Orders slower than the drain: shoppers still wait at "paid" (a push, which carries the
      // stream offset a resumed session starts from) when the draining replica closes their sockets.
      await control(system.urls.udi, { latencyMs: 2_000 });
      const start = await spread();
      let before: Spread[] = [];
      const runs = await crowd(SHOPPERS / 2, async () => {
        before = await spread(start);
        await system.terminate('bff-2');
      }).finally(() => control(system.urls.udi, { latencyMs: 20 }));
      report('load spread when bff-2 got SIGTERM', before);
      report(`${SHOPPERS / 2} shoppers, bff-2 drained halfway; by the end`, [totals(runs), ...(await spread(start))]);

      expect(runs.every((run) => run.final.status === 'confirmed')).toBe(true);
      expect(totals(runs).refusedPosts).toBe(0);
      expect(totals(runs).resumed).toBeGreaterThan(0); // connection state recovery through the Redis stream
      await exactlyOneChargeEach(runs);
    } finally {
      await bringBack('bff-2', replicaUrl('bff-2'));
    }
  });

  it('with 3 billing-worker instances, one SIGKILLed mid-stream, every payment is charged exactly once', async () => {
    // NaN for an instance that is not running.
    const handled = () => Promise.all(system.urls.billingWorkers.map((url) => metricSum(url, 'payflow_events_handled_total').catch(() => NaN)));
    const startedWith = await handled();
    const load = postPayments(system.urls.bff, SHOPPERS, RATE);
    await sleep((SHOPPERS / RATE / 2) * 1_000);
    const atKill = await handled();
    await system.kill('billing-worker-2');
    const { accepted, refused } = await load;
    const snapshots = await waitForTerminal(system.urls.bff, accepted, 180_000);
    const counts = await checkLedgers(system.urls, snapshots, { kafka: { brokers: system.kafkaBrokers, topics: system.topics } });
    const atEnd = await handled();
    await bringBack('billing-worker-2', system.urls.billingWorkers[1]!);
    report('billing workers: events handled before the kill of billing-worker-2, and by the end (from their /metrics)', [
      { atKill: atKill.map((n, i) => n - startedWith[i]!) },
      { atEnd: atEnd.map((n, i) => (Number.isNaN(n) ? 'killed' : n - startedWith[i]!)) },
      { ...counts, refused },
    ]);

    expect(accepted).toHaveLength(SHOPPERS);
    expect(counts.confirmed).toBe(SHOPPERS);
    expect(counts.charges).toBe(SHOPPERS);
    expectMoneySafe(counts);
    expect(atKill.filter((n, i) => n > startedWith[i]!).length).toBeGreaterThan(1); // the work was shared
  });

  it('a shopper in Chromium, whose replica is SIGKILLed while the payment runs, ends signed in through the load balancer', async () => {
    await control(system.urls.billingGates, { latencyMs: 3_000 });
    const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
    let killed: string | undefined;
    try {
      const page = await browser.newPage();
      const email = `scale-browser-${Date.now()}@example.com`;
      await page.goto(system.urls.bff);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Card').selectOption({ label: 'Visa ending 4242 (succeeds)' });
      await page.getByRole('button', { name: 'Pay', exact: true }).click();
      await page.getByRole('status').getByText('Processing your payment').waitFor();

      const holding = (replica: Spread) => typeof replica.socketsConnected === 'number' && replica.socketsConnected > 0;
      const { replica: name } = await until(async () => (await spread()).find(holding), 10_000);
      console.info(`scale: the browser's socket is on ${name}; SIGKILL`);
      killed = name;
      await system.kill(name);

      await page.waitForURL(`${system.urls.saasApp}/app`, { timeout: 60_000 });
      await page.getByText(`Signed in as ${email}`).waitFor();
    } finally {
      await browser.close();
      if (killed !== undefined) await bringBack(killed, replicaUrl(killed));
      await control(system.urls.billingGates, { latencyMs: CHARGE_LATENCY_MS });
    }
  });
});

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`nothing within ${timeoutMs} ms`);
    await sleep(100);
  }
}
