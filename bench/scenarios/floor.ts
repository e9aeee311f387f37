/**
 * `--floor`: the floor pipeline at the rates payflow is about to be measured at, first, in the same
 * sitting: the steady scenario's `--rate` for `--duration` s, and each of `--step-rates` for
 * `--step-duration` s until the floor does not sustain one (the rule payflow's steps follow).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { openFloorSession, type FloorSession } from '../drivers/floor-session.js';
import { stopOnSignals } from '../drivers/system.js';
import { floorSustained, type FloorResults, type FloorStep } from '../measuring/floor-comparison.js';
import type { BenchOptions } from '../options.js';

/** The bench's own copy of the floor, apart from the /tmp/payflow-floor a person runs by hand. */
export const FLOOR_WORK = join(tmpdir(), 'payflow-bench-floor');

export async function runFloor(options: BenchOptions & { floor: string }, projectRoot: string, keepInfra: boolean, log: Logger): Promise<FloorResults> {
  const session = await openFloorSession({ dir: options.floor, work: FLOOR_WORK, projectRoot, warmUpS: options.warmUp, keepInfra, log });
  const forgetSignals = stopOnSignals(session);
  try {
    const results: FloorResults = { dir: options.floor, work: FLOOR_WORK, warmUpS: options.warmUp };
    if (options.scenarios.includes('steady')) results.steady = await session.run(options.rate, options.duration);
    if (options.scenarios.includes('step')) results.step = await stepUp(session, options);
    return results;
  } finally {
    forgetSignals();
    await session.stop();
  }
}

async function stepUp(session: FloorSession, options: BenchOptions): Promise<NonNullable<FloorResults['step']>> {
  const steps: FloorStep[] = [];
  let maxSustainedRate: number | null = null;
  for (const rate of options.stepRates) {
    const run = await session.run(rate, options.stepDuration);
    const sustained = floorSustained(run, options.p99Bound);
    steps.push({ ...run, sustained });
    if (!sustained) break;
    maxSustainedRate = rate;
  }
  return { steps, maxSustainedRate };
}
