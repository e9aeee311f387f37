import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../lib/sleep.js';
import { control } from '../integration/harness/shopper.js';
import { readRecords } from '../support/kafka-records.js';
import { metricSum } from '../support/metrics.js';
import { startChaosSystem, type ChaosSystem } from './chaos-system.js';
import { checkLedgers, waitForTerminal, type LedgerEntry } from './invariants.js';
import { postPayments } from './load.js';

/**
 * A worker frozen past the session timeout (a long GC pause, a stalled VM) while it holds records:
 * the group hands its partitions to the other instance, which redoes the records. When the frozen
 * one resumes, its handlers finish at once, before its own heartbeat tells it that it was removed;
 * none of those outcomes may be published, since the new owner publishes its own.
 */
let system: ChaosSystem;
beforeAll(async () => {
  system = await startChaosSystem({ suite: 'zombie', scale: { bffReplicas: 1, billingWorkers: 1, orderWorkers: 2 } });
});
afterAll(async () => {
  await system?.stop();
});

const PAYMENTS = 60;
const RATE = 20;
/**
 * Udi's latency while payments flow: each order worker holds a few orders (create + confirm) at
 * any time; short enough that on resume the frozen worker redoes its timed-out calls and reaches
 * its publish before its own heartbeat tells it that it was removed from the group.
 */
const UDI_LATENCY_MS = 250;
/** Udi's latency just before the freeze: every order in flight waits, so the frozen worker holds records and publishes nothing between the metric read and the freeze. */
const HOLD_LATENCY_MS = 20_000;
/** Longer than the 10 s session timeout, so the group moves the partitions on. */
const PAUSE_MS = 15_000;

/** The metric once it has stopped moving: two reads a second apart agree. */
async function settledMetric(url: string, name: string): Promise<number> {
  let previous = await metricSum(url, name);
  for (let i = 0; i < 20; i++) {
    await sleep(1_000);
    const current = await metricSum(url, name);
    if (current === previous) return current;
    previous = current;
  }
  throw new Error(`${name} at ${url} kept moving for 20 s`);
}

async function ledger(url: string): Promise<LedgerEntry[]> {
  return ((await (await fetch(`${url}/__ledger`)).json()) as { entries: LedgerEntry[] }).entries;
}

describe('a worker paused past the session timeout while it holds records', () => {
  it('publishes nothing for the partitions it lost once resumed: one outcome per payment, one charge, no refund of a confirmed order', async () => {
    const frozen = 'order-worker-1';
    const frozenUrl = system.urls.orderWorkers[0]!;
    await control(system.urls.udi, { latencyMs: UDI_LATENCY_MS });
    try {
      const load = postPayments(system.urls.bff, PAYMENTS, RATE);
      await sleep(2_000); // two thirds of the payments in, orders in flight in both order workers
      await control(system.urls.udi, { latencyMs: HOLD_LATENCY_MS });
      // The orders whose calls were made before finish and publish; every later call waits.
      const publishedBefore = await settledMetric(frozenUrl, 'payflow_events_published_total');
      system.pause(frozen);
      try {
        // The other worker takes the partitions over and redoes their records at the usual latency.
        await control(system.urls.udi, { latencyMs: UDI_LATENCY_MS });
        await sleep(PAUSE_MS);
      } finally {
        system.resume(frozen);
      }
      const { accepted } = await load;
      const snapshots = await waitForTerminal(system.urls.bff, accepted, 120_000);
      const ids = new Set(accepted.map((p) => p.paymentId));
      const outcomes = await readRecords(system.kafkaBrokers, [system.topics.ordersConfirmed, system.topics.ordersFailed], {
        until: (read) => new Set(read.filter((r) => ids.has(r.key ?? '')).map((r) => r.key)).size >= ids.size,
        timeoutMs: 60_000,
        // The resumed worker's handlers finish within one Udi call; wait well past that.
        settleMs: 5_000,
      });
      const publishedAfter = await metricSum(frozenUrl, 'payflow_events_published_total');

      const perPayment = new Map<string, string[]>();
      for (const record of outcomes) {
        if (record.key === null || !ids.has(record.key)) continue;
        perPayment.set(record.key, [...(perPayment.get(record.key) ?? []), record.headers['event-type'] ?? '?']);
      }
      const duplicated = [...perPayment.values()].filter((types) => types.length > 1).length;
      const contradicting = [...perPayment.values()].filter((types) => new Set(types).size > 1).length;
      const counts = await checkLedgers(system.urls, snapshots);
      const confirmedInUdi = new Set((await ledger(system.urls.udi)).filter((e) => e.kind === 'confirm').map((e) => e.paymentId));
      const refundedConfirmed = (await ledger(system.urls.billingGates)).filter(
        (e) => e.kind === 'refund' && confirmedInUdi.has(e.paymentId) && ids.has(e.paymentId ?? ''),
      ).length;
      console.info(
        `zombie: ${JSON.stringify({ ...counts, outcomeEvents: outcomes.filter((r) => ids.has(r.key ?? '')).length, duplicated, contradicting, refundedConfirmed, publishedByResumedMember: publishedAfter - publishedBefore })}`,
      );

      expect(accepted).toHaveLength(PAYMENTS);
      expect(counts.duplicateCharges).toBe(0);
      expect(counts.chargedWithoutOrderOrRefund).toBe(0);
      expect(perPayment.size).toBe(PAYMENTS);
      expect(duplicated).toBe(0);
      expect(contradicting).toBe(0);
      expect(refundedConfirmed).toBe(0);
      expect(publishedAfter - publishedBefore).toBe(0);
    } finally {
      await control(system.urls.udi, { latencyMs: 20 });
    }
  });
});
