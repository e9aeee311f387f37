import type { ProcessGroup } from '../measuring/process-cpu.js';
import type { FlowSummary } from '../measuring/summary.js';
import type { StepResult } from '../scenarios/step.js';
import { FLOW_COLORS, flowName } from './flow-names.js';
import { stackedBars, type Segment } from './svg-bars.js';
import { lineChart } from './svg-chart.js';

/** Shades per kind of process, so the pipeline reads as one block of greens, the stand-ins as oranges. */
const SHADES: Record<ProcessGroup, string[]> = {
  pipeline: ['#0b5d2a', '#1b7f3b', '#2e9e55', '#56b870', '#8fd19e', '#b9e4c2', '#d6f0dc'],
  'stand-in': ['#b35c00', '#e08a00', '#f2b54a', '#f7d48f'],
  baseline: ['#b3261e', '#d9534f'],
  generator: ['#8a8a8a'],
};

/** The same colour for a process in every bar: by its place among the names of its group. */
function colorsByName(runs: FlowSummary[]): Map<string, string> {
  const colors = new Map<string, string>();
  const used: Partial<Record<ProcessGroup, number>> = {};
  for (const p of runs.flatMap((s) => s.cpu.processes)) {
    if (colors.has(p.name)) continue;
    const shades = SHADES[p.group];
    const i = used[p.group] ?? 0;
    used[p.group] = i + 1;
    colors.set(p.name, shades[i % shades.length]!);
  }
  return colors;
}

/** A stacked bar per flow: each process's ms of CPU per signed-in payment, the load generator on top. */
export function cpuBars(runs: FlowSummary[], title: string): string {
  const colors = colorsByName(runs);
  return stackedBars({
    title: `${title}: ms of CPU per signed-in payment, by process`,
    yLabel: 'ms CPU / payment',
    bars: runs.map((s) => ({
      label: flowName(s.flow),
      segments: s.cpu.processes.flatMap((p): Segment[] =>
        p.msPerPayment === null ? [] : [{ name: p.name, value: p.msPerPayment, color: colors.get(p.name) ?? '#000' }],
      ),
      note: `server ${s.cpu.totals.server ?? '–'} ms + generator ${s.cpu.totals.generator ?? '–'} ms`,
    })),
  });
}

/** Per step: the flow's own servers' CPU per payment (solid) and the load generator's (dashed). */
export function cpuByRate(flows: StepResult[]): string {
  const points = (f: StepResult, pick: (s: StepResult['steps'][number]) => number | null) =>
    f.steps.flatMap((s): [number, number][] => {
      const value = pick(s);
      return value === null ? [] : [[s.offeredRate, value]];
    });
  return lineChart({
    title: 'Step up: ms of CPU per signed-in payment by offered rate',
    xLabel: 'offered shoppers/s',
    yLabel: 'ms CPU / payment',
    series: flows.flatMap((f) => [
      { name: `${f.flow} servers`, color: FLOW_COLORS[f.flow], points: points(f, (s) => s.cpu.totals.flowServer) },
      { name: `${f.flow} generator`, color: FLOW_COLORS[f.flow], dashed: true, points: points(f, (s) => s.cpu.totals.generator) },
    ]),
  });
}
