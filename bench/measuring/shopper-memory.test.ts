import { describe, expect, it } from 'vitest';
import { heapUsedBytesFromMetrics, perShopper, rssKbFromStatus, settledOrLast, settledValue } from './shopper-memory.js';

const STATUS = 'Name:\tnode\nVmPeak:\t 1234567 kB\nVmSize:\t 1200000 kB\nVmHWM:\t  250000 kB\nVmRSS:\t  110592 kB\nRssAnon:\t   80000 kB\n';

describe('reading a process memory', () => {
  it('reads VmRSS from /proc/<pid>/status, in KB, not the peak', () => {
    expect(rssKbFromStatus(STATUS)).toBe(110_592);
  });

  it('when there is no VmRSS line (a kernel thread, or not Linux), throws rather than reading a wrong figure', () => {
    expect(() => rssKbFromStatus('Name:\tkthreadd\n')).toThrow(/VmRSS/);
  });

  it("reads the V8 heap in use from prom-client's default metrics, labels or not", () => {
    const text =
      '# HELP nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.\n# TYPE nodejs_heap_size_used_bytes gauge\nnodejs_heap_size_used_bytes{role="bff"} 41234567\nnodejs_heap_size_total_bytes{role="bff"} 60000000\n';
    expect(heapUsedBytesFromMetrics(text)).toBe(41_234_567);
    expect(heapUsedBytesFromMetrics('nodejs_heap_size_used_bytes 12\n')).toBe(12);
    expect(heapUsedBytesFromMetrics('nodejs_heap_size_total_bytes 12\n')).toBeNull();
  });
});

describe('a settled reading', () => {
  it('while the last readings still fall (garbage of the arrivals being collected), is not settled', () => {
    expect(settledValue([240_000, 225_000, 212_000])).toBeNull();
    expect(settledValue([200_000, 200_000])).toBeNull();
  });

  it('once the last three agree within 2 %, is their median', () => {
    expect(settledValue([240_000, 225_000, 212_000, 211_000, 212_500])).toBe(212_000);
  });

  it('when the readings never settle, takes the median of the last three', () => {
    expect(settledOrLast([300, 200, 100, 150])).toBe(150);
    expect(settledOrLast([100])).toBe(100);
    expect(() => settledOrLast([])).toThrow();
  });
});

describe('memory per waiting shopper', () => {
  it('divides the growth by the shoppers waiting', () => {
    expect(perShopper(108 * 1024, 234 * 1024, 2_000)).toBe(64.5);
  });

  it('with nobody waiting or a reading missing, has no figure', () => {
    expect(perShopper(100, 200, 0)).toBeNull();
    expect(perShopper(null, 200, 10)).toBeNull();
    expect(perShopper(100, null, 10)).toBeNull();
  });
});
