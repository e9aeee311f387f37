/**
 * `npm run bench`: the improved (Kafka) flow and the current (synchronous) flow, measured side by
 * side on one isolated system; with `--against URL`, the improved flow of a deployment someone
 * else started. See bench/README.md.
 */
import { loadavg } from 'node:os';
import type { Logger } from 'pino';
import { createConsoleLogger } from '../scripts/log-output.js';
import { REPO_ROOT } from '../scripts/start-config.js';
import { BenchError } from './bench-error.js';
import { openDeployment } from './drivers/deployment.js';
import type { ShopperResult } from './drivers/shopper.js';
import { startBenchSystem, stopOnSignals, type LoadTarget } from './drivers/system.js';
import { versusFloor } from './measuring/floor-comparison.js';
import { machineInfo } from './measuring/machine-load.js';
import { parseOptions, UsageError, type BenchOptions, type ScenarioName } from './options.js';
import { writeResults } from './reports/write-results.js';
import type { BenchResults } from './results.js';
import { burst } from './scenarios/burst.js';
import { runFloor } from './scenarios/floor.js';
import { outage, WAIT_THRESHOLD_MS } from './scenarios/outage.js';
import type { BenchContext } from './scenarios/run-flow.js';
import { scaleOut } from './scenarios/scale-out.js';
import { steady } from './scenarios/steady.js';
import { stepUp } from './scenarios/step.js';
import { surge } from './scenarios/surge.js';
import { waiting } from './scenarios/waiting.js';
import { warmUp } from './scenarios/warm-up.js';
import { workersDown } from './scenarios/workers-down.js';

async function main(options: BenchOptions): Promise<void> {
  const log = createConsoleLogger('bench', process.env['BENCH_LOG_LEVEL'] ?? 'info');
  // As with a floor run by hand: KEEP_INFRA=1 leaves the floor's Kafka and Redis running afterwards.
  const keepFloorInfra = process.env['KEEP_INFRA'] === '1';
  const loadBefore = Math.round(loadavg()[0]! * 100) / 100;
  const latency = { billingGatesMs: options.billingLatency, udiMs: options.udiLatency, sumMs: options.billingLatency + 2 * options.udiLatency };
  const results: BenchResults = { takenAt: new Date().toISOString(), machine: machineInfo(), loadBefore, options, latency };
  const raw: Record<string, ShopperResult[]> = {};
  // The floor first, at the same rates, its Kafka and Redis stopped before payflow's start: the two never share the cores.
  if (options.floor !== undefined) results.floor = await runFloor({ ...options, floor: options.floor }, REPO_ROOT, keepFloorInfra, log);
  if (options.against !== undefined) await onDeployment(options.against, options, log, results, raw);
  else if (options.scenarios.some((scenario) => scenario !== 'scale-out')) await onBenchSystem(options, log, results, raw);
  if (results.floor !== undefined) results.floor.versus = versusFloor(results.floor, results);
  try {
    // Each replica count needs a system of its own: after the bench system has stopped, so it competes with none.
    if (options.scenarios.includes('scale-out')) results.scaleOut = await scaleOut({ options, log, latency, raw });
  } finally {
    // What the other scenarios measured is written even when scale-out fails.
    const files = await writeResults(options.out, results, raw);
    process.stdout.write(`\n${(await import('./reports/markdown.js')).markdownTables(results)}\nwritten: ${files.join(', ')}\n`);
  }
}

/** Every scenario but scale-out, on one system with one BFF. */
async function onBenchSystem(options: BenchOptions, log: Logger, results: BenchResults, raw: Record<string, ShopperResult[]>): Promise<void> {
  const { latency } = results;
  log.info({ loadBefore: results.loadBefore }, 'starting Kafka, Redis, the payflow processes and the baseline server');
  const system = await startBenchSystem({
    partitions: options.partitions,
    billingLatencyMs: latency.billingGatesMs,
    udiLatencyMs: latency.udiMs,
    log,
    cpuProfDir: options.cpuProf,
    heapSnapshotDir: options.heapSnapshot,
  });
  const forgetSignals = stopOnSignals(system);
  try {
    const ctx: BenchContext = { options, system, latencySumMs: latency.sumMs, raw };
    // RSS only grows back slowly once the BFF has held more, so its memory per waiting shopper is
    // read first, from a BFF that has served nobody yet; it measures no CPU, so it needs no warm-up.
    if (options.scenarios.includes('waiting') && options.flows.includes('async')) {
      log.info({ scenario: 'waiting' }, 'scenario');
      results.waiting = await waiting(ctx);
    }
    await warmUp(ctx);
    for (const scenario of options.scenarios.filter((name) => name !== 'scale-out')) {
      if (scenario !== 'waiting') log.info({ scenario }, 'scenario');
      await loadScenario(ctx, scenario, results);
      if (scenario === 'outage') results.outage = { ...(await outage(ctx)), waitThresholdMs: WAIT_THRESHOLD_MS };
      if (scenario === 'surge') results.surge = await surge(ctx);
      if (scenario === 'workers-down') results.workersDown = await workersDown(ctx);
    }
  } finally {
    forgetSignals();
    await system.stop();
  }
}

/** The scenarios that only drive shoppers, on the bench's own system or a deployment's; any other is left to the caller. */
async function loadScenario(ctx: BenchContext<LoadTarget>, scenario: ScenarioName, results: BenchResults): Promise<void> {
  if (scenario === 'steady') results.steady = await steady(ctx);
  if (scenario === 'step') results.step = { p99BoundMs: ctx.options.p99Bound, flows: await stepUp(ctx) };
  if (scenario === 'burst') results.burst = await burst(ctx);
}

/** `--against`: the load scenarios at a deployment someone else started, warmed as the bench's own system is; nothing started, nothing to stop. */
async function onDeployment(url: string, options: BenchOptions, log: Logger, results: BenchResults, raw: Record<string, ShopperResult[]>): Promise<void> {
  log.info({ url, loadBefore: results.loadBefore }, 'measuring a deployment started elsewhere: the bench starts nothing');
  const { target, deployment } = await openDeployment(url, options);
  results.deployment = deployment;
  if (deployment.udiUrl === null) log.warn('tokens are not verified: that needs --against-udi URL (npm start: http://127.0.0.1:4002)');
  if (deployment.metricsUrl === null) log.warn(`${url}/metrics did not answer: no event-loop delay of the BFF`);
  if (deployment.pids.length === 0) log.info('no CPU per payment: that needs --against-pids name=pid,…');
  const ctx: BenchContext<LoadTarget> = { options, system: target, latencySumMs: results.latency.sumMs, raw };
  await warmUp(ctx);
  for (const scenario of options.scenarios) {
    log.info({ scenario }, 'scenario');
    await loadScenario(ctx, scenario, results);
  }
}

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`bench: ${err instanceof UsageError ? err.message : String(err)}\n`);
  process.exit(2);
}
main(options).catch((err: unknown) => {
  if (err instanceof BenchError) process.stderr.write(`bench: ${err.code}: ${err.message}\n`);
  else process.stderr.write(`bench: failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
