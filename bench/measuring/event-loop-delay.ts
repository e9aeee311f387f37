/**
 * A process's event-loop delay over one run, from prom-client's default metrics on its /metrics.
 *
 * prom-client keeps a `monitorEventLoopDelay` histogram and resets it at every scrape, once its
 * figures are read (node_modules/prom-client/lib/metrics/eventLoopLag.js), so the scrape at the
 * start of a run throws away what came before and the one at its end gives the run's figures. Each
 * sample is the time between two ticks of a 10 ms timer (prom-client's default
 * `eventLoopMonitoringPrecision`, which lib/metrics.ts keeps): an idle loop reads about 10.1 ms, and
 * what lies above 10 ms is how long a callback due then had to wait.
 */

/** ms, as the histogram gave them at the end of the run. */
export interface EventLoopDelay {
  process: string;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

const FIGURES = ['p50', 'p90', 'p99', 'max', 'mean'] as const;
const LINE = /^nodejs_eventloop_lag_(p50|p90|p99|max|mean)_seconds(?:\{[^}]*\})?\s+(\S+)/;

/** The figures in a process's /metrics text; null when one of them is not there. */
export function parseEventLoopDelay(process: string, metricsText: string): EventLoopDelay | null {
  const seconds = new Map<string, number>();
  for (const line of metricsText.split('\n')) {
    const match = LINE.exec(line);
    if (match !== null) seconds.set(match[1]!, Number(match[2]));
  }
  if (FIGURES.some((figure) => !Number.isFinite(seconds.get(figure) ?? NaN))) return null;
  const ms = (figure: (typeof FIGURES)[number]) => Math.round((seconds.get(figure) ?? 0) * 100_000) / 100;
  return { process, p50: ms('p50'), p90: ms('p90'), p99: ms('p99'), max: ms('max'), mean: ms('mean') };
}

/** Each process's figures from the /metrics texts read at the end of the run; one without them is left out. */
export function eventLoopDelays(metricsTexts: Record<string, string>): EventLoopDelay[] {
  return Object.entries(metricsTexts).flatMap(([process, text]) => parseEventLoopDelay(process, text) ?? []);
}
