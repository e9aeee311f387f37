/**
 * CPU per signed-in payment, per process: the difference between two readings of each process's
 * CPU time, divided by the payments signed in between them. Pure: bench/measuring/cpu-meter.ts takes the
 * readings from /proc.
 */
import type { FlowName } from '../options.js';

/**
 * What a process is to the flows: the improved flow's own processes (BFF, workers, Kafka, Redis),
 * the downstream stand-ins both flows call, the current flow's baseline server, or the bench
 * itself driving the shoppers.
 */
export type ProcessGroup = 'pipeline' | 'stand-in' | 'baseline' | 'generator';

/** A process's CPU time (user + system, all its threads) at one moment. */
export interface CpuSample {
  name: string;
  group: ProcessGroup;
  /** Tells a restarted process (new pid) from the one of the first reading. */
  pid: number;
  cpuMs: number;
}

export interface ProcessCpu {
  name: string;
  group: ProcessGroup;
  /** CPU time spent during the window; null when the process was not there at both readings. */
  cpuMs: number | null;
  msPerPayment: number | null;
}

export interface CpuPerPayment {
  signedIn: number;
  processes: ProcessCpu[];
  /** ms of CPU per signed-in payment; null when no payment was signed in. */
  totals: {
    /** Every process but the load generator, the other flow's idle ones included. */
    server: number | null;
    /** The server-side processes this flow's payments go through (FLOW_USES). */
    flowServer: number | null;
    /** BFF, workers, Kafka, Redis. */
    pipeline: number | null;
    generator: number | null;
  };
}

/**
 * The server-side groups each flow's payments go through. The other flow's processes idle during
 * a run but are not free (the workers' consumers poll Kafka, the broker answers them), so the
 * server total counts them and flowServer leaves them out.
 */
export const FLOW_USES: Record<FlowName, readonly ProcessGroup[]> = {
  async: ['pipeline', 'stand-in'],
  sync: ['baseline', 'stand-in'],
};

/**
 * utime + stime of /proc/<pid>/stat, in clock ticks. The second field (the command name, in
 * parentheses) may itself hold spaces and parentheses, so fields are counted from the last ')':
 * utime and stime are fields 14 and 15 of proc(5), the 12th and 13th after it.
 */
export function cpuTicksFromStat(stat: string): number {
  const fields = stat
    .slice(stat.lastIndexOf(')') + 1)
    .trim()
    .split(/\s+/);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!stat.includes(')') || !Number.isInteger(utime) || !Number.isInteger(stime)) throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  return utime + stime;
}

/** Two decimals: a tick is 10 ms, over thousands of payments a few µs each. */
const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Each process of the first reading, with the CPU it spent until the second. A process gone by
 * the second reading, or restarted in between (another pid), has no figure rather than a wrong one.
 */
export function cpuPerPayment(flow: FlowName, start: CpuSample[], end: CpuSample[], signedIn: number): CpuPerPayment {
  const perPayment = (ms: number) => (signedIn > 0 ? round2(ms / signedIn) : null);
  const spent = start.map(({ name, group, pid, cpuMs }) => {
    const after = end.find((sample) => sample.name === name && sample.pid === pid);
    return { name, group, ms: after === undefined ? null : Math.max(0, after.cpuMs - cpuMs) };
  });
  const sum = (keep: (group: ProcessGroup) => boolean) => perPayment(spent.reduce((total, p) => total + (keep(p.group) ? (p.ms ?? 0) : 0), 0));
  return {
    signedIn,
    processes: spent.map(({ name, group, ms }) => ({
      name,
      group,
      cpuMs: ms === null ? null : Math.round(ms),
      msPerPayment: ms === null ? null : perPayment(ms),
    })),
    totals: {
      server: sum((group) => group !== 'generator'),
      flowServer: sum((group) => FLOW_USES[flow].includes(group)),
      pipeline: sum((group) => group === 'pipeline'),
      generator: sum((group) => group === 'generator'),
    },
  };
}
