import type { Deployment } from './drivers/deployment.js';
import type { FloorResults } from './measuring/floor-comparison.js';
import type { MachineInfo } from './measuring/machine-load.js';
import type { BenchOptions } from './options.js';
import type { BurstSummary } from './scenarios/burst.js';
import type { OutageSummary } from './scenarios/outage.js';
import type { ScaleOutSummary } from './scenarios/scale-out.js';
import type { SteadySummary } from './scenarios/steady.js';
import type { StepResult } from './scenarios/step.js';
import type { SurgeResult } from './scenarios/surge.js';
import type { WaitingSummary } from './scenarios/waiting.js';
import type { WorkersDownResult } from './scenarios/workers-down.js';

/** Everything one `npm run bench` measured; written to bench/results/latest.json. */
export interface BenchResults {
  takenAt: string;
  machine: MachineInfo;
  /** The machine's 1-minute load average before the system was started (against a deployment: before the first run): other work already running. */
  loadBefore: number;
  /** With --against: the deployment measured, started elsewhere; absent when the bench ran a system of its own. */
  deployment?: Deployment;
  options: BenchOptions;
  latency: { billingGatesMs: number; udiMs: number; sumMs: number };
  steady?: SteadySummary[];
  step?: { p99BoundMs: number; flows: StepResult[] };
  outage?: { downFromS: number; downForS: number; waitThresholdMs: number; flows: OutageSummary[] };
  burst?: BurstSummary[];
  waiting?: WaitingSummary;
  surge?: SurgeResult;
  workersDown?: WorkersDownResult;
  scaleOut?: ScaleOutSummary;
  /** With --floor: the floor's runs, before payflow's, and payflow over the floor. */
  floor?: FloorResults;
}
