import { setTimeout as sleep } from 'node:timers/promises';
import { setControl } from '../drivers/stand-in-control.js';
import { duringWindow, middleOf, type Disruption } from './disruption.js';
import { PAUSE_BETWEEN_RUNS_MS, withLedger, type BenchContext, type LedgerSummary } from './run-flow.js';

export interface OutageSummary extends LedgerSummary {
  /** Signed in, but more than WAIT_THRESHOLD_MS later than the stand-ins' latency alone explains. */
  waited: number;
}

export const WAIT_THRESHOLD_MS = 1_000;
export const OUTAGE_S = 10;

/** Billing Gates answers 503 to every call until it is given back. */
export function billingGatesDown(ctx: BenchContext): Disruption {
  const url = ctx.system.urls.billingGates;
  return { begin: () => setControl(url, { down: true }), end: () => setControl(url, { down: false }) };
}

/** Billing Gates answers 503 for OUTAGE_S seconds in the middle of each flow's run. */
export async function outage(ctx: BenchContext): Promise<{ downFromS: number; downForS: number; flows: OutageSummary[] }> {
  const { rate, outageDuration } = ctx.options;
  const downFromS = middleOf(outageDuration, OUTAGE_S);
  const flows: OutageSummary[] = [];
  for (const flow of ctx.options.flows) {
    const { value } = await duringWindow({ fromS: downFromS, forS: OUTAGE_S }, billingGatesDown(ctx), (onSecond) =>
      withLedger(ctx, { flow, label: `outage ${flow}`, rate, durationS: outageDuration, onSecond }),
    );
    const waited = value.results.filter((r) => r.outcome === 'signed-in' && (r.signedInMs ?? 0) - ctx.latencySumMs > WAIT_THRESHOLD_MS).length;
    flows.push({ ...value.summary, waited });
    await sleep(PAUSE_BETWEEN_RUNS_MS);
  }
  return { downFromS, downForS: OUTAGE_S, flows };
}
