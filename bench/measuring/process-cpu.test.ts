import { describe, expect, it } from 'vitest';
import { cpuPerPayment, cpuTicksFromStat, type CpuSample } from './process-cpu.js';

// A real line of /proc/<pid>/stat (a JVM), utime 1234 and stime 567 ticks.
const JAVA_STAT =
  '4242 (java) S 4200 4242 4200 0 -1 1077936384 51234 0 12 0 1234 567 0 0 20 0 58 0 98765 3456789012 123456 18446744073709551615 1 1 0 0 0 0 0 4096 16800975 0 0 0 17 1 0 0 0 0 0';

const sample = (name: string, group: CpuSample['group'], pid: number, cpuMs: number): CpuSample => ({ name, group, pid, cpuMs });

describe('reading /proc/<pid>/stat', () => {
  it('adds utime and stime, in clock ticks', () => {
    expect(cpuTicksFromStat(JAVA_STAT)).toBe(1801);
  });

  it('when the command name holds spaces and parentheses, still finds utime and stime', () => {
    expect(cpuTicksFromStat(JAVA_STAT.replace('(java)', '(node (x) y)'))).toBe(1801);
  });

  it('when the text is not a stat line, throws rather than reading a wrong figure', () => {
    expect(() => cpuTicksFromStat('')).toThrow(/not a \/proc/);
    expect(() => cpuTicksFromStat('4242 (java) S 1 2')).toThrow(/not a \/proc/);
  });
});

describe('CPU per signed-in payment', () => {
  const start = [
    sample('bff', 'pipeline', 10, 1_000),
    sample('kafka', 'pipeline', 11, 5_000),
    sample('udi', 'stand-in', 12, 200),
    sample('baseline', 'baseline', 13, 300),
    sample('load generator', 'generator', 14, 700),
  ];
  const end = [
    sample('bff', 'pipeline', 10, 1_450),
    sample('kafka', 'pipeline', 11, 5_330),
    sample('udi', 'stand-in', 12, 340),
    sample('baseline', 'baseline', 13, 310),
    sample('load generator', 'generator', 14, 1_200),
  ];

  it('divides each process’s CPU during the window by the payments signed in', () => {
    const cpu = cpuPerPayment('async', start, end, 100);
    expect(cpu.processes.map((p) => [p.name, p.cpuMs, p.msPerPayment])).toEqual([
      ['bff', 450, 4.5],
      ['kafka', 330, 3.3],
      ['udi', 140, 1.4],
      ['baseline', 10, 0.1],
      ['load generator', 500, 5],
    ]);
  });

  it('totals the server side without the load generator, the pipeline apart and the flow’s own processes apart', () => {
    expect(cpuPerPayment('async', start, end, 100).totals).toEqual({ server: 9.3, flowServer: 9.2, pipeline: 7.8, generator: 5 });
    // The current flow goes through the baseline and the stand-ins; the pipeline only idles.
    expect(cpuPerPayment('sync', start, end, 100).totals).toEqual({ server: 9.3, flowServer: 1.5, pipeline: 7.8, generator: 5 });
  });

  it('when a process restarted during the window (another pid), gives it no figure and leaves it out of the totals', () => {
    const restarted = end.map((s) => (s.name === 'kafka' ? { ...s, pid: 99, cpuMs: 20 } : s));
    const cpu = cpuPerPayment('async', start, restarted, 100);
    expect(cpu.processes.find((p) => p.name === 'kafka')).toEqual({ name: 'kafka', group: 'pipeline', cpuMs: null, msPerPayment: null });
    expect(cpu.totals.pipeline).toBe(4.5);
  });

  it('when a process is gone by the end, gives it no figure', () => {
    const cpu = cpuPerPayment(
      'async',
      start,
      end.filter((s) => s.name !== 'udi'),
      100,
    );
    expect(cpu.processes.find((p) => p.name === 'udi')?.cpuMs).toBeNull();
  });

  it('when no payment was signed in, gives CPU time but no per-payment figure', () => {
    const cpu = cpuPerPayment('async', start, end, 0);
    expect(cpu.processes[0]).toEqual({ name: 'bff', group: 'pipeline', cpuMs: 450, msPerPayment: null });
    expect(cpu.totals).toEqual({ server: null, flowServer: null, pipeline: null, generator: null });
  });
});
