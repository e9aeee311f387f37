import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMetricsRegistry } from '../lib/metrics.js';

/** The folders whose code registers payflow's metrics. */
const SOURCE_DIRS = ['lib', 'server', 'workers', 'stand-ins'];

/** Series Prometheus makes itself for every target. */
const PROMETHEUS_SERIES = ['up', 'scrape_duration_seconds'];

/** The `_bucket`, `_sum` and `_count` series of a histogram are named after it. */
const HISTOGRAM_SUFFIX = /_(bucket|sum|count)$/;

/**
 * Every metric name the code can expose: each `payflow_…` name written as a string in a source
 * file (tests aside), the process metrics prom-client collects, and Prometheus' own per-target
 * series. Read from the code, so a metric renamed there is missing here.
 */
export function registeredMetricNames(root: string): Set<string> {
  const names = new Set(PROMETHEUS_SERIES);
  for (const file of SOURCE_DIRS.flatMap((dir) => sourceFiles(join(root, dir)))) {
    for (const [, name] of readFileSync(file, 'utf8').matchAll(/['"`](payflow_[a-z0-9_]+)['"`]/g)) names.add(name!);
  }
  for (const { name } of createMetricsRegistry('any').getMetricsAsArray()) names.add(name);
  return names;
}

/** Whether `series` is a registered metric or one of a registered histogram's series. */
export function isRegistered(series: string, registered: Set<string>): boolean {
  return registered.has(series) || registered.has(series.replace(HISTOGRAM_SUFFIX, ''));
}

/** The metric names a PromQL expression reads: `payflow_…`, `process_…` and `up` (recorded `a:b:c` names aside). */
export function metricsInQuery(expr: string): string[] {
  return [...expr.matchAll(/(?<![\w:])(payflow_[a-z0-9_]+|process_[a-z0-9_]+|nodejs_[a-z0-9_]+|up)(?![\w:(])/g)].map(([, name]) => name!);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}
