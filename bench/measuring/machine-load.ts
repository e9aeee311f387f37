import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  const all = cpus();
  return {
    cpuModel: all[0]?.model ?? 'unknown',
    cores: all.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** How busy the whole machine was between two readings: every process, ours and others'. */
export interface LoadReading {
  /** 1-minute load average when the measurement ended. */
  loadavg1: number;
  /** Share of all cores' time spent busy, 0..1 (from /proc/stat). */
  cpuBusy: number;
}

interface CpuTimes {
  busy: number;
  total: number;
}

function cpuTimes(): CpuTimes | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.reduce((sum, value) => sum + value, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined; // not Linux: the load average alone
  }
}

/** Starts measuring; call the result to read the load since. */
export function measureLoad(): () => LoadReading {
  const start = cpuTimes();
  return () => {
    const end = cpuTimes();
    const cpuBusy = start && end && end.total > start.total ? (end.busy - start.busy) / (end.total - start.total) : NaN;
    return { loadavg1: Math.round(loadavg()[0]! * 100) / 100, cpuBusy: Math.round(cpuBusy * 100) / 100 };
  };
}
