import type { Logger } from 'pino';
import type { ShopperResult } from '../drivers/shopper.js';
import { startBenchSystem, stopOnSignals, type BenchSystem } from '../drivers/system.js';
import {
  pushDelivery,
  replicaCounters,
  scaleOutCpu,
  spreadBetween,
  type PushDelivery,
  type ReplicaCounters,
  type ReplicaShare,
  type ScaleOutCpu,
} from '../measuring/scale-out-figures.js';
import { scrapeMetrics } from '../measuring/scrape-metrics.js';
import type { FlowSummary } from '../measuring/summary.js';
import type { BenchOptions } from '../options.js';
import { runFlow, type BenchContext } from './run-flow.js';

/**
 * Each system is new, so its Kafka broker's JIT compiler has just started: 10 s at 50/s keeps the
 * worst of it out of the figures (the main bench warms 30 s; three systems cannot afford that in
 * the scenario's 4 minutes). The replica counts are compared with the same warm-up, so the broker's
 * share is comparable between them, if higher than a long-running broker's.
 */
export const SCALE_OUT_WARM_UP = { rate: 50, durationS: 10 } as const;

export interface ScaleOutRun {
  replicas: number;
  /** The improved flow's figures as the steady scenario has them (latencies, errors, CPU by process). */
  summary: FlowSummary;
  cpu: ScaleOutCpu;
  pushes: PushDelivery;
  /** What each replica did during the run: the load balancer's spread. */
  spread: ReplicaShare[];
}

export interface ScaleOutSummary {
  rate: number;
  durationS: number;
  warmUp: { rate: number; durationS: number };
  runs: ScaleOutRun[];
}

export interface ScaleOutContext {
  options: BenchOptions;
  log: Logger;
  /** The stand-ins' latency per call, and their sum per payment. */
  latency: { billingGatesMs: number; udiMs: number; sumMs: number };
  /** Every shopper of every run, by run label, for the raw results file. */
  raw: Record<string, ShopperResult[]>;
}

/**
 * The improved flow with 1, 2, 3 … BFF replicas (`--bff-replicas`) behind the load balancer, at a
 * fixed rate: what each replica costs, and whether every shopper's status still reaches its
 * socket. The load balancer sends a shopper's POST and its socket to whichever replica has the
 * fewest connections, and the status change is projected by the replica whose consumer holds the
 * payment's partition: with several replicas those are mostly different ones, and the status
 * reaches the socket only through the Redis adapter. Each replica count runs on a system of its
 * own, started and stopped here.
 */
export async function scaleOut({ options, log, latency, raw }: ScaleOutContext): Promise<ScaleOutSummary> {
  const { scaleOutRate: rate, scaleOutDuration: durationS } = options;
  const runs: ScaleOutRun[] = [];
  for (const replicas of options.bffReplicas) {
    log.info({ scenario: 'scale-out', replicas }, 'starting a system with this many BFF replicas');
    const system = await startBenchSystem({
      partitions: options.partitions,
      billingLatencyMs: latency.billingGatesMs,
      udiLatencyMs: latency.udiMs,
      log,
      bffReplicas: replicas,
    });
    const forgetSignals = stopOnSignals(system);
    try {
      const ctx: BenchContext = { options, system, latencySumMs: latency.sumMs, raw };
      const warmUp = `scale-out warm-up ${replicas}`;
      await runFlow(ctx, { flow: 'async', label: warmUp, ...SCALE_OUT_WARM_UP });
      delete raw[warmUp];
      const before = await readReplicas(system);
      const { summary, results } = await runFlow(ctx, {
        flow: 'async',
        label: `scale-out ${replicas} ${replicas === 1 ? 'replica' : 'replicas'}`,
        rate,
        durationS,
      });
      const after = await readReplicas(system);
      runs.push({ replicas, summary, cpu: scaleOutCpu(summary.cpu), pushes: pushDelivery(results), spread: spreadBetween(before, after) });
    } finally {
      forgetSignals();
      await system.stop();
    }
  }
  return { rate, durationS, warmUp: { ...SCALE_OUT_WARM_UP }, runs };
}

/** Each BFF's counters now; one that does not answer is left out. */
async function readReplicas(system: BenchSystem): Promise<Map<string, ReplicaCounters>> {
  const bffs = Object.entries(system.metricsUrls).filter(([name]) => name.startsWith('bff'));
  const read = async ([name, url]: [string, string]) => {
    const text = await scrapeMetrics(url);
    return text === null ? [] : [[name, replicaCounters(text)] as const];
  };
  return new Map((await Promise.all(bffs.map(read))).flat());
}
