import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadTarget } from '../drivers/system.js';
import type { FlowSummary } from '../measuring/summary.js';
import type { FlowName } from '../options.js';
import { PAUSE_BETWEEN_RUNS_MS, runFlow, type BenchContext } from './run-flow.js';

/** Each flow's steps, and the highest rate it sustained. */
export interface StepResult {
  flow: FlowName;
  steps: (FlowSummary & { sustained: boolean })[];
  /** The highest offered rate sustained (nothing failed, p99 under the bound), or null if none was. */
  maxSustainedRate: number | null;
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
