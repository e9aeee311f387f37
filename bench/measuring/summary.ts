import type { DriveResult } from '../drivers/drive.js';
import type { ShopperResult } from '../drivers/shopper.js';
import type { FlowName } from '../options.js';
import { eventLoopDelays, type EventLoopDelay } from './event-loop-delay.js';
import { kafkaRequestsIn, kafkaRequestsPerPayment, type KafkaRequestsPerPayment } from './kafka-requests.js';
import type { LoadReading } from './machine-load.js';
import { cpuPerPayment, type CpuPerPayment, type CpuSample } from './process-cpu.js';
import { redisCommandsPerPayment, type RedisCommandsPerPayment, type RedisCounts } from './redis-commands.js';
import { histogramOf, round, type Percentiles, type Spectrum } from './stats.js';

/** Latency by arrival second: how the figures moved during the run. */
export interface TimelinePoint {
  t: number;
  arrivals: number;
  signedIn: number;
  errors: number;
  firstAnswerP50: number;
  firstAnswerP99: number;
  signedInP50: number;
  signedInP99: number;
}

export interface FlowSummary {
  flow: FlowName;
  offeredRate: number;
  durationS: number;
  offered: number;
  shed: number;
  signedIn: number;
  /** Errors and timeouts, by code. */
  errors: Record<string, number>;
  errorCount: number;
  /** Signed-in shoppers per second of arrivals. */
  achievedRate: number;
  /** From the end of arrivals to the last shopper's end, s. */
  drainS: number;
  firstAnswer: Percentiles;
  signedInLatency: Percentiles;
  /** Time to signed-in minus the stand-ins' configured latency sum (charge + create + confirm). */
  overhead: Percentiles;
  spectrum: { firstAnswer: Spectrum; signedIn: Spectrum };
  timeline: TimelinePoint[];
  load: LoadReading & { generatorLagMaxMs: number };
  /** CPU per signed-in payment of each process, from the first arrival to the last shopper's end. */
  cpu: CpuPerPayment;
  /** Kafka requests per signed-in payment of each payflow process (producer and consumer), from the same window. */
  kafkaRequests: KafkaRequestsPerPayment[];
  /** Commands the system's Redis ran per signed-in payment, by command, and its socket reads; null when Redis did not answer. */
  redisCommands: RedisCommandsPerPayment | null;
  /** Each payflow process's event-loop delay over the window (every BFF replica, each worker), ms. */
  eventLoopDelay: EventLoopDelay[];
}

/** Each process's CPU time at the start and at the end of the measured window. */
export interface CpuWindow {
  start: CpuSample[];
  end: CpuSample[];
}

/** What each payflow process's /metrics and the system's Redis said at the start and at the end of the window. */
export interface CounterWindow {
  metrics: { start: Record<string, string>; end: Record<string, string> };
  redis: { start: RedisCounts | null; end: RedisCounts | null };
}

/** Shoppers who did not sign in, by error code (or outcome, when there is no code). */
export function errorsByCode(results: readonly ShopperResult[]): Record<string, number> {
  const errors: Record<string, number> = {};
  for (const r of results) if (r.outcome !== 'signed-in') errors[r.error ?? r.outcome] = (errors[r.error ?? r.outcome] ?? 0) + 1;
  return errors;
}

export function summarise(
  flow: FlowName,
  rate: number,
  durationS: number,
  run: DriveResult,
  latencySumMs: number,
  load: LoadReading,
  cpu: CpuWindow,
  counters: CounterWindow,
): FlowSummary {
  const { results } = run;
  const signedIn = results.filter((r) => r.outcome === 'signed-in');
  const errors = errorsByCode(results);
  const firstAnswer = histogramOf(results.flatMap((r) => (r.firstAnswerMs === undefined ? [] : [r.firstAnswerMs])));
  const signedInHistogram = histogramOf(signedIn.map((r) => r.signedInMs ?? 0));
  return {
    flow,
    offeredRate: rate,
    durationS,
    offered: run.offered,
    shed: run.shed,
    signedIn: signedIn.length,
    errors,
    errorCount: results.length - signedIn.length,
    achievedRate: round(signedIn.length / durationS),
    drainS: round(Math.max(0, run.spanMs / 1_000 - durationS)),
    firstAnswer: firstAnswer.percentiles(),
    signedInLatency: signedInHistogram.percentiles(),
    overhead: histogramOf(signedIn.map((r) => Math.max(0, (r.signedInMs ?? 0) - latencySumMs))).percentiles(),
    spectrum: { firstAnswer: firstAnswer.spectrum(), signedIn: signedInHistogram.spectrum() },
    timeline: timeline(results, durationS),
    load: { ...load, generatorLagMaxMs: run.generatorLagMaxMs },
    cpu: cpuPerPayment(flow, cpu.start, cpu.end, signedIn.length),
    kafkaRequests: kafkaRequestsPerPayment(kafkaRequestsIn(counters.metrics.start), kafkaRequestsIn(counters.metrics.end), signedIn.length),
    redisCommands: redisCommandsPerPayment(counters.redis.start, counters.redis.end, signedIn.length),
    eventLoopDelay: eventLoopDelays(counters.metrics.end),
  };
}

function timeline(results: ShopperResult[], durationS: number): TimelinePoint[] {
  const seconds = Array.from({ length: durationS }, () => [] as ShopperResult[]);
  for (const r of results) seconds[Math.min(durationS - 1, Math.floor(r.arrivalMs / 1_000))]?.push(r);
  return seconds.map((group, t) => {
    const first = histogramOf(group.flatMap((r) => (r.firstAnswerMs === undefined ? [] : [r.firstAnswerMs]))).percentiles();
    const signed = histogramOf(group.flatMap((r) => (r.signedInMs === undefined ? [] : [r.signedInMs]))).percentiles();
    return {
      t,
      arrivals: group.length,
      signedIn: signed.count,
      errors: group.filter((r) => r.outcome !== 'signed-in').length,
      firstAnswerP50: first.p50,
      firstAnswerP99: first.p99,
      signedInP50: signed.p50,
      signedInP99: signed.p99,
    };
  });
}
