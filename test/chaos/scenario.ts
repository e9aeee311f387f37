import { expect } from 'vitest';
import { sleep } from '../../lib/sleep.js';
import type { ChaosSystem } from './chaos-system.js';
import { checkLedgers, expectMoneySafe, ledgerMark, waitForTerminal, type Counts } from './invariants.js';
import { postPayments, type Accepted, type LoadResult } from './load.js';
import type { PaymentSnapshot } from '../../contracts/index.js';

export interface ScenarioOptions {
  /** Payments posted, at `rate` a second; default 300 at 100/s. */
  payments?: number;
  rate?: number;
  /** How long after the first POST the disruption starts; default 1 s (a third of the payments are in). */
  disruptAfterMs?: number;
  /** Hears of each 202 as it comes (a shopper's page opening its socket). */
  onAccepted?: (payment: Accepted) => void;
  /** The card of the i-th payment; default `pm_card_ok`. */
  tokenOf?: (i: number) => string;
}

export type ScenarioResult = Counts &
  Pick<LoadResult, 'accepted' | 'refused' | 'refusedCodes' | 'retriedToAccepted' | 'slowestAcceptMs'> & {
    /** The final snapshot of each accepted payment, by paymentId. */
    snapshots: Map<string, PaymentSnapshot>;
    /** When the disruption started (performance.now(), ms). */
    disruptedAt: number;
  };

/**
 * One chaos scenario: a few hundred payments in flight, something broken on purpose while they
 * arrive (`disrupt` breaks it and repairs it), then the guarantees checked from the stand-ins'
 * ledgers, the snapshots and the outcome events. Every POST must end in a 202 (a 503 is retried
 * with its Idempotency-Key), and every accepted payment must reach a terminal status, money safe.
 * Prints one line of counts under `name`.
 */
export async function runScenario(system: ChaosSystem, name: string, disrupt: () => Promise<void>, options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const { payments = 300, rate = 100, disruptAfterMs = 1_000 } = options;
  const since = await ledgerMark(system.urls);
  const load = postPayments(system.urls.bff, payments, rate, options.onAccepted, options.tokenOf);
  await sleep(disruptAfterMs);
  const disruptedAt = performance.now();
  await disrupt();
  const { accepted, refused, refusedCodes, retriedToAccepted, slowestAcceptMs } = await load;
  const snapshots = await waitForTerminal(system.urls.bff, accepted, 180_000);
  const answers = accepted.map(({ idempotencyKey, paymentId }) => ({ idempotencyKey, paymentId }));
  const counts = await checkLedgers(system.urls, snapshots, { since, kafka: { brokers: system.kafkaBrokers, topics: system.topics }, answers });
  console.info(`chaos: ${name}: ${JSON.stringify({ ...counts, refused, refusedCodes, retriedToAccepted, slowestAcceptMs })}`);

  expect(accepted).toHaveLength(payments);
  expect(counts.payments).toBe(payments);
  expectMoneySafe(counts);
  return { ...counts, accepted, snapshots, refused, refusedCodes, retriedToAccepted, slowestAcceptMs, disruptedAt };
}
