import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadTarget } from '../drivers/system.js';
import type { LedgerOutcome, LedgerUrls } from '../measuring/ledgers.js';
import type { FlowSummary } from '../measuring/summary.js';
import { PAUSE_BETWEEN_RUNS_MS, runFlow, withLedger, type BenchContext } from './run-flow.js';

/** A steady run; its ledgers when the system's stand-ins can be read. */
export type SteadySummary = FlowSummary & { ledger?: LedgerOutcome };

const hasLedgers = (ctx: BenchContext<LoadTarget>): ctx is BenchContext<LoadTarget & { urls: LedgerUrls }> =>
  ctx.system.urls.billingGates !== undefined && ctx.system.urls.udi !== undefined;

/** `--rate` for `--duration` s per flow; the ledgers are checked after where the stand-ins can be read. */
export async function steady(ctx: BenchContext<LoadTarget>): Promise<SteadySummary[]> {
  const { rate, duration } = ctx.options;
  const summaries: SteadySummary[] = [];
  for (const flow of ctx.options.flows) {
    const spec = { flow, label: `steady ${flow}`, rate, durationS: duration };
    summaries.push((await (hasLedgers(ctx) ? withLedger(ctx, spec) : runFlow(ctx, spec))).summary);
    await sleep(PAUSE_BETWEEN_RUNS_MS);
  }
  return summaries;
}
