/**
 * One run of one flow, the block every scenario is built of: shoppers driven at a rate, and the
 * system read around them (its /metrics, its Redis, every process's CPU, the machine's load).
 */
import { asyncShopper } from '../drivers/async-shopper.js';
import { drive, type OnSecond } from '../drivers/drive.js';
import { limitsRefusal, watchLimits } from '../drivers/limit-refusal.js';
import type { Post, Shopper, ShopperResult } from '../drivers/shopper.js';
import { syncShopper } from '../drivers/sync-shopper.js';
import type { BenchSystem, LoadTarget } from '../drivers/system.js';
import { readCpu } from '../measuring/cpu-meter.js';
import { markLedgers, settleLedgers, type LedgerOutcome, type LedgerUrls } from '../measuring/ledgers.js';
import { measureLoad } from '../measuring/machine-load.js';
import { scrapeEach } from '../measuring/scrape-metrics.js';
import { summarise, type FlowSummary } from '../measuring/summary.js';
import type { BenchOptions, FlowName } from '../options.js';

/** A run's context; the scenarios that only drive shoppers take any LoadTarget, the others the bench's own system. */
export interface BenchContext<System extends LoadTarget = BenchSystem> {
  options: BenchOptions;
  system: System;
  /** Charge + create order + confirm order: the stand-ins' own share of time to signed-in. */
  latencySumMs: number;
  /** Every shopper of every run, by run label, for the raw results file. */
  raw: Record<string, ShopperResult[]>;
}

export interface LedgerSummary extends FlowSummary {
  ledger: LedgerOutcome;
}

export const PAUSE_BETWEEN_RUNS_MS = 3_000;

export interface RunSpec {
  flow: FlowName;
  label: string;
  rate: number;
  durationS: number;
  onSecond?: OnSecond;
}

/** A shopper of `flow`, posting with `post` (fetch by default). */
export function shopperFor(ctx: BenchContext<LoadTarget>, flow: FlowName, post?: Post): Shopper {
  const { options, system } = ctx;
  const { bff, udi, baseline } = system.urls;
  // Options refuse --verify-token without Udi's URL (bench/options.ts): nothing is skipped here.
  if (flow === 'async') return asyncShopper({ bffUrl: bff, verifyWith: options.verifyToken ? udi : undefined, post, clientAddress: system.clientAddress });
  if (baseline === undefined || udi === undefined) throw new Error("the current flow runs on the bench's own system, with its baseline server and Udi");
  return syncShopper(baseline, udi, options.verifyToken, post);
}

/**
 * One run of `spec`, read around. It stops at the first shopper the per-client limits refuse:
 * the rest would measure the limits.
 */
export async function runFlow(ctx: BenchContext<LoadTarget>, spec: RunSpec): Promise<{ summary: FlowSummary; results: ShopperResult[] }> {
  const { options, system } = ctx;
  const limited = new AbortController();
  let refused: ShopperResult | undefined;
  const shopper = watchLimits(shopperFor(ctx, spec.flow), (result) => {
    refused ??= result;
    limited.abort();
  });
  // /metrics first and last, Redis inside them: each scrape sends Redis a few commands of its own (readiness, gauges).
  const metricsAtStart = await scrapeEach(system.metricsUrls);
  const redisAtStart = await system.redisCounts();
  const load = measureLoad();
  const cpuAtStart = readCpu(system.processes());
  const run = await drive({
    label: spec.label,
    ratePerSecond: spec.rate,
    durationS: spec.durationS,
    maxInFlight: options.concurrency,
    timeoutMs: options.timeout * 1_000,
    shopper,
    onSecond: spec.onSecond,
    stop: limited.signal,
  });
  if (refused !== undefined) throw limitsRefusal(system.urls.bff, refused);
  const cpu = { start: cpuAtStart, end: readCpu(system.processes()) };
  const redis = { start: redisAtStart, end: await system.redisCounts() };
  const counters = { metrics: { start: metricsAtStart, end: await scrapeEach(system.metricsUrls) }, redis };
  ctx.raw[spec.label] = run.results;
  return { summary: summarise(spec.flow, spec.rate, spec.durationS, run, ctx.latencySumMs, load(), cpu, counters), results: run.results };
}

/** A run, then what the stand-ins' ledgers say of its payments once they stop changing. */
export async function withLedger(
  ctx: BenchContext<LoadTarget & { urls: LedgerUrls }>,
  spec: RunSpec,
): Promise<{ summary: LedgerSummary; results: ShopperResult[] }> {
  const mark = await markLedgers(ctx.system.urls);
  const { summary, results } = await runFlow(ctx, spec);
  return { summary: { ...summary, ledger: await settleLedgers(ctx.system.urls, mark) }, results };
}
