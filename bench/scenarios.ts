import { setTimeout as sleep } from 'node:timers/promises';
import { asyncShopper } from './async-shopper.js';
import { readCpu } from './cpu-meter.js';
import { duringWindow, middleOf, type Disruption } from './disruption.js';
import { drive, type OnSecond } from './drive.js';
import { markLedgers, setControl, settleLedgers, type LedgerOutcome, type LedgerUrls } from './ledgers.js';
import { limitsRefusal, watchLimits } from './limit-refusal.js';
import { measureLoad } from './machine-load.js';
import type { BenchOptions, FlowName } from './options.js';
import { scrapeEach } from './scrape-metrics.js';
import type { Post, Shopper, ShopperResult } from './shopper.js';
import { summarise, type FlowSummary } from './summary.js';
import { syncShopper } from './sync-shopper.js';
import type { BenchSystem, LoadTarget } from './system.js';

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

/** A steady run; its ledgers when the system's stand-ins can be read. */
export type SteadySummary = FlowSummary & { ledger?: LedgerOutcome };

export interface StepResult {
  flow: FlowName;
  steps: (FlowSummary & { sustained: boolean })[];
  /** The highest offered rate sustained (nothing failed, p99 under the bound), or null if none was. */
  maxSustainedRate: number | null;
}

export interface OutageSummary extends LedgerSummary {
  /** Signed in, but more than WAIT_THRESHOLD_MS later than the stand-ins' latency alone explains. */
  waited: number;
}

export const PAUSE_BETWEEN_RUNS_MS = 3_000;
export const WAIT_THRESHOLD_MS = 1_000;
export const OUTAGE_S = 10;

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

/** Billing Gates answers 503 to every call until it is given back. */
export function billingGatesDown(ctx: BenchContext): Disruption {
  const url = ctx.system.urls.billingGates;
  return { begin: () => setControl(url, { down: true }), end: () => setControl(url, { down: false }) };
}

export async function withLedger(ctx: BenchContext<LoadTarget & { urls: LedgerUrls }>, spec: RunSpec): Promise<{ summary: LedgerSummary; results: ShopperResult[] }> {
  const mark = await markLedgers(ctx.system.urls);
  const { summary, results } = await runFlow(ctx, spec);
  return { summary: { ...summary, ledger: await settleLedgers(ctx.system.urls, mark) }, results };
}

/**
 * A low rate per flow, unrecorded, so that neither flow is measured cold. Kafka's JVM compiles its
 * hot code for minutes after it starts: at 20 payments/s its C2 compiler threads still took 70 ms
 * of CPU a second after one minute, which a short run would count as cost per payment. A
 * long-running broker has paid that long ago, so the improved flow is warmed for `--warm-up` s
 * (30 by default) at 50/s before anything is measured; the synchronous flow needs no more than a few seconds.
 */
const warmUpOf = (flow: FlowName, warmUpS: number) => (flow === 'async' ? { rate: 50, durationS: warmUpS } : { rate: 20, durationS: 5 });

export async function warmUp(ctx: BenchContext<LoadTarget>): Promise<void> {
  for (const flow of ctx.options.flows) await runFlow(ctx, { flow, label: `warm-up ${flow}`, ...warmUpOf(flow, ctx.options.warmUp) });
  for (const flow of ctx.options.flows) delete ctx.raw[`warm-up ${flow}`];
}

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

/** Offered rate step by step until a flow no longer sustains it; one step past its limit is enough. */
export async function stepUp(ctx: BenchContext<LoadTarget>): Promise<StepResult[]> {
  const { stepRates, stepDuration, p99Bound } = ctx.options;
  const results: StepResult[] = [];
  for (const flow of ctx.options.flows) {
    const result: StepResult = { flow, steps: [], maxSustainedRate: null };
    for (const rate of stepRates) {
      const { summary } = await runFlow(ctx, { flow, label: `step ${flow} ${rate}/s`, rate, durationS: stepDuration });
      const sustained = summary.errorCount === 0 && summary.shed === 0 && summary.signedInLatency.p99 <= p99Bound;
      result.steps.push({ ...summary, sustained });
      await sleep(PAUSE_BETWEEN_RUNS_MS);
      if (!sustained) break;
      result.maxSustainedRate = rate;
    }
    results.push(result);
  }
  return results;
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
