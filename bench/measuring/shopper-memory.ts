/**
 * Memory per waiting shopper: a process's resident set (and V8 heap) before the shoppers arrive
 * and while they all wait, divided by how many wait. Pure: bench/scenarios/waiting.ts takes the readings.
 */

/** VmRSS of /proc/<pid>/status, in KB (the kernel writes "VmRSS:   123456 kB"). */
export function rssKbFromStatus(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (match === null) throw new Error('no VmRSS line in /proc/<pid>/status');
  return Number(match[1]);
}

/** `nodejs_heap_size_used_bytes` of a Prometheus text exposition (prom-client's default metrics), or null. */
export function heapUsedBytesFromMetrics(text: string): number | null {
  const match = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})?\s+([0-9.e+]+)\s*$/m.exec(text);
  return match === null ? null : Number(match[1]);
}

/** Readings this close to each other (relative to their median) count as settled. */
export const STABLE_SPREAD = 0.02;
/** How many readings in a row must agree. */
export const STABLE_READINGS = 3;

/**
 * The settled value of a series of readings taken a second or two apart: the median of the last
 * STABLE_READINGS once they lie within STABLE_SPREAD of it, or null while they still move (the
 * caller reads again, and after enough tries takes `settledOrLast` anyway). Garbage left by the
 * arrivals is collected some seconds later, so the first reading after them is too high.
 */
export function settledValue(readings: readonly number[]): number | null {
  if (readings.length < STABLE_READINGS) return null;
  const last = readings.slice(-STABLE_READINGS);
  const median = [...last].sort((a, b) => a - b)[Math.floor(STABLE_READINGS / 2)]!;
  return Math.max(...last) - Math.min(...last) <= median * STABLE_SPREAD ? median : null;
}

/** settledValue, or the median of the last readings when they never settled. */
export function settledOrLast(readings: readonly number[]): number {
  const settled = settledValue(readings);
  if (settled !== null) return settled;
  const last = [...readings.slice(-STABLE_READINGS)].sort((a, b) => a - b);
  if (last.length === 0) throw new Error('no readings');
  return last[Math.floor(last.length / 2)]!;
}

/** (during − before) / shoppers, one decimal; null when nobody waited or a reading is missing. */
export function perShopper(before: number | null, during: number | null, shoppers: number): number | null {
  if (before === null || during === null || shoppers <= 0) return null;
  return Math.round(((during - before) / shoppers) * 10) / 10;
}
