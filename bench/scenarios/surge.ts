import { setTimeout as sleep } from 'node:timers/promises';
import type { ShopperResult } from '../drivers/shopper.js';
import { setControl } from '../drivers/stand-in-control.js';
import { markLedgers, settleLedgers } from '../measuring/ledgers.js';
import { round } from '../measuring/stats.js';
import type { BenchOptions } from '../options.js';
import { runFlow, type BenchContext, type LedgerSummary } from './run-flow.js';

/** Shoppers arrive at this multiple of Billing Gates' capacity. */
export const SURGE_FACTOR = 3;
/** A shopper counts as answered when a 2xx came back within this. */
export const ANSWERED_WITHIN_MS = 1_000;
const PAUSE_BETWEEN_RUNS_MS = 3_000;

export interface SurgeFigures {
  /** Shoppers whose first answer was a 2xx (202 improved, 200 current) within ANSWERED_WITHIN_MS. */
  answeredWithin1s: number;
  /** The same, as a share (0..1) of the shoppers offered. */
  answeredShare: number;
  /** From the first arrival to the last shopper signed in, s; null when nobody signed in. */
  lastSignedInS: number | null;
  /** How many had signed in by the end of each second from the first arrival ([0] = within the first second). */
  signedInBySecond: number[];
}

export interface SurgeSummary extends LedgerSummary, SurgeFigures {}

export interface SurgeResult {
  /** Billing Gates' maxChargesPerSecond during the runs. */
  capacityPerS: number;
  rate: number;
  durationS: number;
  /** How long each shopper waited for its token before counting as timed out, s. */
  timeoutS: number;
  flows: SurgeSummary[];
}

export function surgeFigures(results: readonly ShopperResult[], offered: number): SurgeFigures {
  const answered = results.filter(
    (r) => r.firstAnswerMs !== undefined && r.firstAnswerMs <= ANSWERED_WITHIN_MS && (r.firstAnswerStatus ?? 0) >= 200 && (r.firstAnswerStatus ?? 0) < 300,
  );
  const signedInAt = results.flatMap((r) => (r.outcome === 'signed-in' && r.signedInMs !== undefined ? [r.arrivalMs + r.signedInMs] : []));
  const last = signedInAt.length === 0 ? null : Math.max(...signedInAt);
  const bySecond = Array.from({ length: last === null ? 0 : Math.ceil(last / 1_000) }, () => 0);
  for (const at of signedInAt) bySecond[Math.max(0, Math.ceil(at / 1_000) - 1)]! += 1;
  for (let s = 1; s < bySecond.length; s++) bySecond[s]! += bySecond[s - 1]!;
  return {
    answeredWithin1s: answered.length,
    answeredShare: offered === 0 ? 0 : round((answered.length / offered) * 1_000) / 1_000,
    lastSignedInS: last === null ? null : round(last / 1_000),
    signedInBySecond: bySecond,
  };
}

/**
 * The backlog is SURGE_FACTOR × the duration's worth of charges, and Billing Gates works through
 * it at its capacity in any order: a shopper may wait nearly all of it, plus the retries' jitter.
 */
export function surgeTimeoutS(options: Pick<BenchOptions, 'timeout' | 'surgeDuration'>): number {
  return Math.max(options.timeout, SURGE_FACTOR * options.surgeDuration + 30);
}

/**
 * Billing Gates refuses charges above `--surge-capacity` per second (429 with Retry-After), and
 * each flow in turn gets SURGE_FACTOR × that for `--surge-duration` s, then nothing: the improved
 * flow should answer every POST at once and sign everyone in once the backlog drains; the current
 * one answers a refused charge as the shopper's error. The capacity is lifted after each flow,
 * also when the run fails, once the ledgers have settled under it.
 */
export async function surge(ctx: BenchContext): Promise<SurgeResult> {
  const { surgeCapacity: capacityPerS, surgeDuration: durationS } = ctx.options;
  const rate = SURGE_FACTOR * capacityPerS;
  const timeoutS = surgeTimeoutS(ctx.options);
  const runCtx: BenchContext = { ...ctx, options: { ...ctx.options, timeout: timeoutS } };
  const { urls } = ctx.system;
  const flows: SurgeSummary[] = [];
  for (const flow of ctx.options.flows) {
    const mark = await markLedgers(urls);
    try {
      await setControl(urls.billingGates, { maxChargesPerSecond: capacityPerS });
      const { summary, results } = await runFlow(runCtx, { flow, label: `surge ${flow}`, rate, durationS });
      flows.push({ ...summary, ...surgeFigures(results, summary.offered), ledger: await settleLedgers(urls, mark) });
    } finally {
      await setControl(urls.billingGates, { maxChargesPerSecond: null });
    }
    await sleep(PAUSE_BETWEEN_RUNS_MS);
  }
  return { capacityPerS, rate, durationS, timeoutS, flows };
}
