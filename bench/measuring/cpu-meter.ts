import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpuTicksFromStat, type CpuSample, type ProcessGroup } from './process-cpu.js';

/** A process of the bench system, to be measured. */
export interface MeasuredProcess {
  name: string;
  group: Exclude<ProcessGroup, 'generator'>;
  pid: number;
}

export const GENERATOR_NAME = 'load generator';

/** /proc/<pid>/stat counts in clock ticks; 100 a second on every common Linux, and when getconf is missing. */
function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

let ticksPerSecond: number | undefined;

/**
 * The CPU time so far of each process, read from /proc (Linux), and of this process, the load
 * generator, from process.cpuUsage(). A process whose stat cannot be read (it exited, or this is
 * not Linux) is left out, so it gets no figure rather than a wrong one.
 */
export function readCpu(processes: MeasuredProcess[]): CpuSample[] {
  ticksPerSecond ??= clockTicksPerSecond();
  const samples: CpuSample[] = [];
  for (const { name, group, pid } of processes) {
    try {
      samples.push({ name, group, pid, cpuMs: (cpuTicksFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8')) * 1_000) / ticksPerSecond });
    } catch {
      // gone, or no /proc
    }
  }
  const own = process.cpuUsage();
  samples.push({ name: GENERATOR_NAME, group: 'generator', pid: process.pid, cpuMs: (own.user + own.system) / 1_000 });
  return samples;
}
