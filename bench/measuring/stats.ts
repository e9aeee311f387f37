import * as hdr from 'hdr-histogram-js';

/** Latency percentiles in ms, from an HDR histogram recorded in microseconds (3 significant digits). */
export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Percentile → ms, for the distribution chart. */
export type Spectrum = [percentile: number, ms: number][];

const SPECTRUM_PERCENTILES = [0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 97.5, 99, 99.5, 99.9, 99.99, 100];

export class LatencyHistogram {
  private readonly histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });

  record(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1_000)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  percentiles(): Percentiles {
    const at = (p: number) => round(this.histogram.getValueAtPercentile(p) / 1_000);
    if (this.count === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
    return { count: this.count, p50: at(50), p95: at(95), p99: at(99), max: round(this.histogram.maxValue / 1_000), mean: round(this.histogram.mean / 1_000) };
  }

  spectrum(): Spectrum {
    if (this.count === 0) return [];
    return SPECTRUM_PERCENTILES.map((p) => [p, round(this.histogram.getValueAtPercentile(p) / 1_000)]);
  }
}

export function histogramOf(values: Iterable<number>): LatencyHistogram {
  const histogram = new LatencyHistogram();
  for (const value of values) histogram.record(value);
  return histogram;
}

/** One decimal: enough for ms, and keeps the JSON readable. */
export function round(value: number): number {
  return Math.round(value * 10) / 10;
}
