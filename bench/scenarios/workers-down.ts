import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerExit } from '../drivers/system.js';
import { windowFigures, type WindowFigures } from '../measuring/window-figures.js';
import { duringWindow, middleOf, type Disruption, type WindowTimes } from './disruption.js';
import { billingGatesDown } from './outage.js';
import { PAUSE_BETWEEN_RUNS_MS, withLedger, type BenchContext, type LedgerSummary } from './run-flow.js';

export interface WorkersDownFlow extends LedgerSummary {
  /** What was taken away: the workers (improved flow), or Billing Gates instead (the current flow has no workers). */
  stopped: 'workers' | 'billing-gates';
  window: WindowTimes;
  duringStop: WindowFigures;
  /** How each worker exited on SIGTERM; none for the current flow. */
  workerExits: WorkerExit[];
}

export interface WorkersDownResult {
  stopFromS: number;
  stopForS: number;
  flows: WorkersDownFlow[];
}

/**
 * Shoppers arrive at `--rate` for `--workers-down-duration` s per flow; in the middle, the billing
 * and order workers are stopped with SIGTERM for `--workers-down-stop` s, then started again, and
 * every shopper is followed until signed in or timed out. The BFF keeps accepting meanwhile (Kafka
 * holds the payments), so the question is what the shoppers who paid during the stop see, and how
 * long the backlog takes to clear once the workers are back. The current flow has no workers: its
 * run has Billing Gates down for the same window instead, for comparison.
 */
export async function workersDown(ctx: BenchContext): Promise<WorkersDownResult> {
  const { rate, workersDownDuration, workersDownStop } = ctx.options;
  const stopFromS = middleOf(workersDownDuration, workersDownStop);
  const flows: WorkersDownFlow[] = [];
  for (const flow of ctx.options.flows) {
    const workerExits: WorkerExit[] = [];
    const workersStopped: Disruption = {
      begin: async () => workerExits.push(...(await ctx.system.stopWorkers())),
      end: () => ctx.system.startWorkers(),
    };
    const { value, window } = await duringWindow(
      { fromS: stopFromS, forS: workersDownStop },
      flow === 'async' ? workersStopped : billingGatesDown(ctx),
      (onSecond) => withLedger(ctx, { flow, label: `workers-down ${flow}`, rate, durationS: workersDownDuration, onSecond }),
    );
    // A restarted worker's request counters start again from zero, and its event-loop histogram
    // covers only the time since its start: neither would be the run's figure.
    const restarted = new Set(workerExits.map((exit) => exit.name));
    const kafkaRequests = value.summary.kafkaRequests.filter((p) => !restarted.has(p.process));
    const eventLoopDelay = value.summary.eventLoopDelay.filter((p) => !restarted.has(p.process));
    flows.push({
      ...value.summary,
      kafkaRequests,
      eventLoopDelay,
      stopped: flow === 'async' ? 'workers' : 'billing-gates',
      window,
      duringStop: windowFigures(value.results, window),
      workerExits,
    });
    await sleep(PAUSE_BETWEEN_RUNS_MS);
  }
  return { stopFromS, stopForS: workersDownStop, flows };
}
