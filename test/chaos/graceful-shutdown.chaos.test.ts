import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessName } from '../../scripts/system-processes.js';
import { readRecords } from '../support/kafka-records.js';
import { startChaosSystem, type ChaosSystem } from './chaos-system.js';
import { checkLedgers, expectMoneySafe, ledgerMark, waitForTerminal } from './invariants.js';
import { postPayments } from './load.js';
import { sleep } from '../../lib/sleep.js';

/**
 * SIGTERM, as an orchestrator sends it, to one process of each type while payments flow. Each must
 * stop taking work, finish what it holds, commit and flush, and exit 0 within 10 s; once it is
 * back, every accepted payment is confirmed, charged once, and, because the work in flight was
 * finished rather than redone, each outcome event is in Kafka exactly once.
 */
let system: ChaosSystem;
beforeAll(async () => {
  system = await startChaosSystem({ suite: 'graceful-shutdown' });
});
afterAll(async () => {
  await system?.stop();
});

const PAYMENTS = 150;
const RATE = 50;

/** Records on `topic` per paymentId, for the payments given. */
async function eventsPerPayment(topic: string, paymentIds: Set<string>): Promise<Map<string, number>> {
  const records = await readRecords(system.kafkaBrokers, [topic], {
    until: (read) => new Set(read.filter((r) => paymentIds.has(r.key ?? '')).map((r) => r.key)).size >= paymentIds.size,
    timeoutMs: 60_000,
    settleMs: 1_000,
  });
  const counts = new Map<string, number>();
  for (const record of records) if (record.key !== null && paymentIds.has(record.key)) counts.set(record.key, (counts.get(record.key) ?? 0) + 1);
  return counts;
}

/**
 * Sends SIGTERM to `name` a second into the load, restarts it, and checks the outcome. A stand-in
 * keeps its ledger in memory, so after its restart only Billing Gates' ledger (one charge each)
 * and the snapshots can be checked, not which orders the old Udi confirmed.
 */
async function sigtermMidLoad(name: ProcessName, outcomeTopic: string, { udiLedgerSurvives = true } = {}) {
  const since = await ledgerMark(system.urls);
  const load = postPayments(system.urls.bff, PAYMENTS, RATE);
  await sleep(1_000); // a third of the payments are in, the rest still coming
  const exit = await system.terminate(name);
  await system.restart(name);
  const { accepted } = await load;
  const snapshots = await waitForTerminal(system.urls.bff, accepted, 120_000);
  const counts = await checkLedgers(system.urls, snapshots, { since, kafka: { brokers: system.kafkaBrokers, topics: system.topics } });
  const perPayment = await eventsPerPayment(outcomeTopic, new Set(accepted.map((p) => p.paymentId)));
  const duplicated = [...perPayment.values()].filter((n) => n > 1).length;
  console.info(
    `graceful shutdown: ${name}: exit ${exit.code ?? exit.signal} in ${exit.ms} ms; ${JSON.stringify({ ...counts, outcomeEvents: perPayment.size, duplicated })}`,
  );

  expect(exit).toMatchObject({ code: 0, signal: null });
  expect(exit.ms).toBeLessThan(10_000);
  expect(accepted).toHaveLength(PAYMENTS);
  expect(counts.confirmed).toBe(PAYMENTS);
  if (udiLedgerSurvives) expectMoneySafe(counts);
  else {
    // The restarted Udi's ledger no longer lists the orders it confirmed before: check what Billing Gates and Kafka still tell.
    const { duplicateCharges, refundWithoutCharge, chargedWithoutTerminalStatus, stuck, contradictoryOutcomes } = counts;
    expect({ duplicateCharges, refundWithoutCharge, chargedWithoutTerminalStatus, stuck, contradictoryOutcomes }).toEqual({
      duplicateCharges: 0,
      refundWithoutCharge: 0,
      chargedWithoutTerminalStatus: 0,
      stuck: 0,
      contradictoryOutcomes: 0,
    });
  }
  expect(perPayment.size).toBe(PAYMENTS);
  expect(duplicated).toBe(0);
}

describe('graceful shutdown: SIGTERM mid-load loses nothing, duplicates nothing, and exits within 10 s', () => {
  it('the billing worker finishes its charges and commits them: each PaymentSucceeded is published once', async () => {
    await sigtermMidLoad('billing-worker', system.topics.paymentsSucceeded);
  });

  it('the order worker finishes its orders and commits them: each OrderConfirmed is published once', async () => {
    await sigtermMidLoad('order-worker', system.topics.ordersConfirmed);
  });

  it('the BFF answers the requests it holds before it goes: each PaymentInitiated is published once', async () => {
    await sigtermMidLoad('bff', system.topics.paymentsInitiated);
  });

  it('a stand-in (Udi) answers the calls it holds before it goes: the order worker retries the rest once it is back', async () => {
    await sigtermMidLoad('udi', system.topics.ordersConfirmed, { udiLedgerSurvives: false });
  });
});
