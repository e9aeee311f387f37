import { Registry, collectDefaultMetrics } from 'prom-client';

/** A Prometheus registry with the process' default metrics, labelled with its role. */
export function createMetricsRegistry(role: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ role });
  collectDefaultMetrics({ register: registry });
  return registry;
}
