import { describe, expect, it } from 'vitest';
import { FloorError } from '../drivers/floor-error.js';
import { parseFloorResult } from './floor-result.js';

const perProcess = <T>(value: (name: string) => T) =>
  Object.fromEntries(['bff', 'billing', 'order', 'standins', 'kafka', 'redis', 'loadgen'].map((name) => [name, value(name)]));

/** The shape loadgen.mjs writes, with figures from a real run at 100/s. */
const RESULT = {
  kind: 'load',
  label: '',
  env: { CSR: '0', COMMIT_INTERVAL_MS: '1000', PROFILE_WINDOW: '0' },
  rate: 100,
  dur: 20,
  seconds: 20.006908446,
  arrivalsInWindow: 1962,
  confirmedInWindow: 1919,
  errors: 0,
  errorKinds: {},
  shoppers: 3471,
  cpuMs: perProcess(() => 1000),
  cpuMsPerPayment: { bff: 3.1318, billing: 0.3387, order: 0.5211, standins: 0.3752, kafka: 2.0688, redis: 0.3387, loadgen: 2.6316 },
  ioPerPayment: perProcess(() => ({ reads: 10.4, writes: 13.6, wakeups: 4.35 })),
  pipelineMsPerPayment: 6.3992,
  standinsMsPerPayment: 0.3752,
  othersMsPerSecond: -14.99,
  firstAnswerMs: { p50: 4.87, p99: 29.71 },
  confirmedMs: { p50: 995.54, p99: 1190.2 },
  at: '2026-12-06T22:11:20.000Z',
};
const FILE = '/tmp/payflow-bench-floor/results/load-100-1.json';
const asked = { rate: 100, durationS: 20 };

function failure(text: string, expected = asked): FloorError {
  try {
    parseFloorResult(FILE, text, expected);
  } catch (err) {
    if (err instanceof FloorError) return err;
    throw err;
  }
  throw new Error('parsed without an error');
}

describe("reading the floor's result file", () => {
  it('keeps the CPU per payment of each process, the pipeline, the latencies and where it came from', () => {
    const run = parseFloorResult(FILE, JSON.stringify(RESULT), asked);
    expect(run.cpuMsPerPayment.billing).toBe(0.3387);
    expect(run.pipelineMsPerPayment).toBe(6.3992);
    expect(run.firstAnswerMs).toEqual({ p50: 4.87, p99: 29.71 });
    expect(run.confirmedMs.p99).toBe(1190.2);
    expect(run.file).toBe(FILE);
  });

  it('when no payment was confirmed in the window, reads the NaN and Infinity figures JSON made null as no figure', () => {
    const none = {
      ...RESULT,
      confirmedInWindow: 0,
      cpuMsPerPayment: perProcess(() => null),
      pipelineMsPerPayment: null,
      confirmedMs: { p50: null, p99: null },
    };
    const run = parseFloorResult(FILE, JSON.stringify(none), asked);
    expect(run.pipelineMsPerPayment).toBeNull();
    expect(run.cpuMsPerPayment.kafka).toBeNull();
  });

  it('when a process is missing from the figures, stops with FLOOR_RESULT_INVALID naming the field', () => {
    const { kafka: _kafka, ...withoutKafka } = RESULT.cpuMsPerPayment;
    const err = failure(JSON.stringify({ ...RESULT, cpuMsPerPayment: withoutKafka }));
    expect(err.code).toBe('FLOOR_RESULT_INVALID');
    expect(err.message).toContain(FILE);
    expect(err.message).toContain('cpuMsPerPayment.kafka');
  });

  it('when the file is an idle run or not JSON at all, stops with FLOOR_RESULT_INVALID', () => {
    expect(failure(JSON.stringify({ kind: 'idle', seconds: 20 })).code).toBe('FLOOR_RESULT_INVALID');
    expect(failure('{"kind": "lo').message).toMatch(/not JSON/);
  });

  it('when it is a run of another rate or duration than asked, stops rather than compare different loads', () => {
    expect(failure(JSON.stringify(RESULT), { rate: 200, durationS: 20 }).message).toContain('a run of 100/s for 20 s, not of 200/s for 20 s');
  });
});
