import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectionPool } from '../drivers/burst-client.js';
import { failure, type Shopper, type ShopperResult } from '../drivers/shopper.js';
import type { LoadTarget } from '../drivers/system.js';
import { histogramOf, round, type Percentiles, type Spectrum } from '../measuring/stats.js';
import { errorsByCode, type FlowSummary } from '../measuring/summary.js';
import type { FlowName } from '../options.js';
import { runFlow, shopperFor, type BenchContext } from './run-flow.js';

/** Seconds of background arrivals per flow; the burst goes out at BURST_AT_S, once the pipeline is busy with them. */
export const BACKGROUND_S = 12;
export const BURST_AT_S = 5;
const PAUSE_BETWEEN_RUNS_MS = 3_000;

/** What the burst's shoppers saw: all of them arrive at the same instant. */
export interface BurstFigures {
  size: number;
  /** From the burst's instant to each POST's answer. */
  firstAnswer: Percentiles;
  spectrum: Spectrum;
  signedIn: number;
  errors: Record<string, number>;
  errorCount: number;
}

export interface BurstSummary extends BurstFigures {
  flow: FlowName;
  /** Connections opened before the burst (of `size`), and how long opening them took. */
  connections: { opened: number; openMs: number };
  /** ms the load generator took to start every POST of the burst: part of each first answer. */
  dispatchMs: number;
  /** The load generator's worst event-loop delay from the burst until its last shopper finished, ms. */
  generatorLagMaxMs: number;
  /** The steady shoppers arriving around the burst, measured as the steady scenario measures them. */
  background: FlowSummary;
}

export function burstFigures(results: ShopperResult[]): BurstFigures {
  const firstAnswer = histogramOf(results.flatMap((r) => (r.firstAnswerMs === undefined ? [] : [r.firstAnswerMs])));
  const errors = errorsByCode(results);
  const errorCount = Object.values(errors).reduce((sum, n) => sum + n, 0);
  return {
    size: results.length,
    firstAnswer: firstAnswer.percentiles(),
    spectrum: firstAnswer.spectrum(),
    signedIn: results.length - errorCount,
    errors,
    errorCount,
  };
}

/**
 * `--burst` shoppers arrive at the same instant while `--rate` shoppers/s keep arriving (the
 * background): the POSTs meet a BFF whose event loop is busy with the status consumer and the
 * sockets of the shoppers before them. Each burst shopper then goes on as any shopper does
 * (socket, until signed in), so the burst also loads the pipeline behind it.
 */
export async function burst(ctx: BenchContext<LoadTarget>): Promise<BurstSummary[]> {
  const summaries: BurstSummary[] = [];
  for (const flow of ctx.options.flows) {
    let fired: Promise<Omit<BurstSummary, 'flow' | 'background'> | Error> | undefined;
    const onSecond = (elapsedS: number) => {
      // Settled as a value: the background run goes on meanwhile, and a rejection would be unhandled until it ends.
      if (elapsedS === BURST_AT_S) fired = fireBurst(ctx, flow).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
    };
    const { summary } = await runFlow(ctx, { flow, label: `burst ${flow} (background)`, rate: ctx.options.rate, durationS: BACKGROUND_S, onSecond });
    const figures = await fired;
    if (figures === undefined) throw new Error('the burst was not fired: the background run ended before its second');
    if (figures instanceof Error) throw figures;
    summaries.push({ flow, ...figures, background: summary });
    await sleep(PAUSE_BETWEEN_RUNS_MS);
  }
  return summaries;
}

async function fireBurst(ctx: BenchContext<LoadTarget>, flow: FlowName): Promise<Omit<BurstSummary, 'flow' | 'background'>> {
  const size = ctx.options.burst;
  const pool = new ConnectionPool();
  const url = flow === 'async' ? ctx.system.urls.bff : ctx.system.urls.baseline;
  if (url === undefined) throw new Error("the current flow's burst needs the bench's own baseline server");
  try {
    const opening = performance.now();
    const opened = await pool.open(url, size);
    const openMs = performance.now() - opening;
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const { results, dispatchMs } = await allAtOnce(shopperFor(ctx, flow, pool.post), size, ctx.options.timeout * 1_000);
    lag.disable();
    ctx.raw[`burst ${flow}`] = results;
    return {
      ...burstFigures(results),
      connections: { opened, openMs: round(openMs) },
      dispatchMs: round(dispatchMs),
      generatorLagMaxMs: Math.round(lag.max / 1e6),
    };
  } finally {
    pool.close();
  }
}

/** Starts `size` shoppers with one arrival instant, and waits for all of them. */
async function allAtOnce(shopper: Shopper, size: number, timeoutMs: number): Promise<{ results: ShopperResult[]; dispatchMs: number }> {
  const arrivalAt = performance.now();
  const tasks = Array.from({ length: size }, (_, index) => {
    const shopperCtx = { index, arrivalAt, arrivalMs: 0, timeoutMs };
    return shopper(shopperCtx).catch((err: unknown) => failure(shopperCtx, err));
  });
  const dispatchMs = performance.now() - arrivalAt;
  return { results: await Promise.all(tasks), dispatchMs };
}
