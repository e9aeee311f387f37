import { extraPerReplica } from '../measuring/scale-out-figures.js';
import type { BenchResults } from '../results.js';
import type { ScaleOutRun, ScaleOutSummary } from '../scenarios/scale-out.js';
import { stackedBars, type Segment } from './svg-bars.js';
import { lineChart } from './svg-chart.js';
import { delayCell } from './table-cells.js';

const ms = (value: number | null | undefined) => (value === undefined ? 'none' : value === null ? '–' : String(value));
const replicasLabel = (n: number) => `${n} ${n === 1 ? 'replica' : 'replicas'}`;
const errors = (run: ScaleOutRun) =>
  run.summary.errorCount === 0
    ? '0'
    : `${run.summary.errorCount} (${Object.entries(run.summary.errors)
        .map(([code, n]) => `${code} ${n}`)
        .join(', ')})`;
const notArrived = ({ pushes: p }: ScaleOutRun) => (p.notArrived === 0 ? '0' : `**${p.notArrived}** (after a reconnect ${p.afterReconnect}, never ${p.never})`);

/** The scale-out scenario's tables for latest.md: figures per replica count, then each replica's share of the work. */
export function scaleOutTable(results: BenchResults): string[] {
  const s = results.scaleOut;
  if (s === undefined) return [];
  const extra = extraPerReplica(s.runs);
  const out = [
    '',
    `**Scale-out**: the improved flow at ${s.rate} shoppers/s for ${s.durationS} s with each number of BFF replicas behind the load balancer (HAProxy), ` +
      `each on a system of its own warmed ${s.warmUp.durationS} s at ${s.warmUp.rate}/s (one BFF runs without the load balancer). ` +
      'CPU in ms per signed-in payment, as in the CPU table; BFF per replica = the replicas summed, shared out (each replica in brackets). ' +
      '*Per replica added*: the pipeline’s CPU per payment over the fewest replicas’, per replica added. ' +
      '*Pushed / final on joining*: accepted payments whose final status was pushed to the shopper’s socket, or was already final in the snapshot sent as it joined (the socket came after the outcome: no push was owed). ' +
      '*Pushes not arrived*: accepted payments whose final status came only after the socket reconnected, or never.',
    '',
    '| BFF replicas | signed in/s | errors | first answer p50 / p99 | signed in p50 / p99 | BFF per replica (each) | BFF, all replicas | load balancer | Redis | Kafka | workers | pipeline | per replica added | pushed / final on joining, of accepted | pushes not arrived |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  s.runs.forEach((run, i) => {
    const { cpu, summary } = run;
    const each = cpu.replicas.map((r) => ms(r.msPerPayment)).join(', ');
    out.push(
      `| ${run.replicas} | ${summary.achievedRate} | ${errors(run)} | ${summary.firstAnswer.p50} / ${summary.firstAnswer.p99} | ${summary.signedInLatency.p50} / ${summary.signedInLatency.p99} | ` +
        `${ms(cpu.bffPerReplica)} (${each}) | ${ms(cpu.bff)} | ${ms(cpu.loadBalancer)} | ${ms(cpu.redis)} | ${ms(cpu.kafka)} | ${ms(cpu.workers)} | ${ms(cpu.pipeline)} | ${extra[i] === null ? '' : ms(extra[i])} | ${run.pushes.pushed} / ${run.pushes.onJoin} of ${run.pushes.accepted} | ${notArrived(run)} |`,
    );
  });
  out.push(
    '',
    'Each replica’s share during the run (its /metrics): POSTs it answered 202, sockets that joined on it, status changes it projected from Kafka and pushed to the payments’ rooms, wherever their sockets were; ' +
      'its event-loop delay, p50 / p99 / max ms, as in the steady table.',
    '',
    '| BFF replicas | replica | POSTs accepted | sockets joined | status changes pushed | event-loop delay |',
    '| --- | --- | --- | --- | --- | --- |',
    ...s.runs.flatMap((run) =>
      run.spread.map(
        (r) =>
          `| ${run.replicas} | ${r.name} | ${r.accepted} | ${r.sockets} | ${r.changes} | ${delayCell(run.summary.eventLoopDelay.find((d) => d.process === r.name))} |`,
      ),
    ),
  );
  return out;
}

/** BFF replicas in greens, the rest of the pipeline in colours of their own. */
const REPLICA_SHADES = ['#0b5d2a', '#2e9e55', '#8fd19e', '#b9e4c2', '#d6f0dc'];
const PART_COLORS = { loadBalancer: '#6a3d9a', redis: '#d62728', kafka: '#1f77b4', workers: '#e08a00' } as const;

/** For report.html: a stacked bar per replica count (the pipeline's CPU per payment by part), and the latencies by replica count. */
export function scaleOutSection(s: ScaleOutSummary): string {
  const bars = s.runs.map((run) => {
    const { cpu } = run;
    const part = (name: string, value: number | null | undefined, color: string): Segment[] =>
      value === null || value === undefined ? [] : [{ name, value, color }];
    return {
      label: replicasLabel(run.replicas),
      segments: [
        ...cpu.replicas.flatMap((r, i) => part(r.name === 'bff' ? 'bff-1' : r.name, r.msPerPayment, REPLICA_SHADES[i % REPLICA_SHADES.length]!)),
        ...part('load balancer', cpu.loadBalancer, PART_COLORS.loadBalancer),
        ...part('redis', cpu.redis, PART_COLORS.redis),
        ...part('kafka', cpu.kafka, PART_COLORS.kafka),
        ...part('workers', cpu.workers, PART_COLORS.workers),
      ],
      note: `pipeline ${ms(cpu.pipeline)} ms`,
    };
  });
  const latency = (name: string, color: string, dashed: boolean, pick: (run: ScaleOutRun) => number) => ({
    name,
    color,
    dashed,
    points: s.runs.map((run) => [run.replicas, pick(run)] as [number, number]),
  });
  const replicaTicks = s.runs.map((run): [number, string] => [run.replicas, String(run.replicas)]);
  return `<h2>Scale-out: ${s.rate} shoppers/s with 1 … ${Math.max(...s.runs.map((run) => run.replicas))} BFF replicas</h2>
${stackedBars({ title: `Scale-out: ms of CPU per signed-in payment, by process`, yLabel: 'ms CPU / payment', bars })}
${lineChart({
  title: 'Scale-out: first answer and signed in by BFF replicas',
  xLabel: 'BFF replicas',
  yLabel: 'ms (log)',
  logY: true,
  xTicks: replicaTicks,
  series: [
    latency('first answer p50', '#1f77b4', false, (run) => run.summary.firstAnswer.p50),
    latency('first answer p99', '#1f77b4', true, (run) => run.summary.firstAnswer.p99),
    latency('signed in p50', '#1b7f3b', false, (run) => run.summary.signedInLatency.p50),
    latency('signed in p99', '#1b7f3b', true, (run) => run.summary.signedInLatency.p99),
  ],
})}`;
}
