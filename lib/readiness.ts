import { Gauge, type Registry } from 'prom-client';
import { withTimeout } from './with-timeout.js';

export type ReadinessCheck = () => Promise<void>;

/** What a process needs before it takes work: /readyz answers 200 only when every check passes. */
export interface ReadinessChecks {
  /** The services it cannot work without (`kafka`, `redis`), each reported as `payflow_dependency_up{dependency}`. */
  dependencies: Record<string, ReadinessCheck>;
  /** Conditions of the process itself, such as not draining; default none. */
  conditions?: Record<string, ReadinessCheck>;
}

export interface ReadinessResult {
  /** The names of the checks that failed or did not answer within 2 s. */
  failing: string[];
}

const CHECK_TIMEOUT_MS = 2_000;

/** Runs every check at once; a check that does not settle within 2 s counts as failing. */
export async function checkReadiness({ dependencies, conditions = {} }: ReadinessChecks): Promise<ReadinessResult> {
  const checks = { ...conditions, ...dependencies };
  const names = Object.keys(checks);
  const results = await Promise.allSettled(names.map((name) => withTimeout(checks[name]!(), CHECK_TIMEOUT_MS)));
  return { failing: names.filter((_, i) => results[i]?.status === 'rejected') };
}

/**
 * `payflow_ready` (1 when /readyz would answer 200, else 0) and `payflow_dependency_up{dependency}`
 * (1 when that service answers), computed at each scrape from the same checks as /readyz, so
 * Prometheus sees what the load balancer sees and nothing is checked per payment. Both gauges of
 * one scrape share one run of the checks.
 */
export function registerReadinessMetrics(registry: Registry, checks: ReadinessChecks): void {
  let running: Promise<ReadinessResult> | undefined;
  const check = () => {
    running ??= checkReadiness(checks).finally(() => {
      running = undefined;
    });
    return running;
  };
  new Gauge({
    name: 'payflow_ready',
    help: 'Whether this process is ready (1) or not (0), as its /readyz answers.',
    registers: [registry],
    async collect() {
      const { failing } = await check();
      this.set(failing.length === 0 ? 1 : 0);
    },
  });
  new Gauge({
    name: 'payflow_dependency_up',
    help: 'Whether this process reaches a service it depends on (1) or not (0), by dependency (kafka, redis).',
    labelNames: ['dependency'],
    registers: [registry],
    async collect() {
      const { failing } = await check();
      for (const dependency of Object.keys(checks.dependencies)) this.set({ dependency }, failing.includes(dependency) ? 0 : 1);
    },
  });
}
