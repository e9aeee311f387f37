import { FLOW_USES, type CpuPerPayment } from '../measuring/process-cpu.js';
import type { FlowSummary } from '../measuring/summary.js';
import type { FlowName } from '../options.js';
import type { BenchResults } from '../results.js';
import { flowName } from './flow-names.js';
import { redisCommandTable } from './markdown-redis.js';

const ms = (value: number | null) => (value === null ? '–' : String(value));
/** What one core could carry of the flow on its own, from its servers' CPU per payment alone. */
const perCore = (value: number | null) => (value === null || value === 0 ? '' : ` (${Math.round(1_000 / value)} payments/s per core)`);

const NOTE =
  'ms of CPU (user + system, every thread; `/proc/<pid>/stat`, the load generator from `process.cpuUsage()`) from the first arrival ' +
  "to the last shopper's end, per payment signed in. *Flow's own* counts the server-side processes its payments go through; " +
  "*all* adds the other flow's processes, idle but not free (the workers' consumers poll Kafka). Per core: 1,000 / the flow's own ms.";

function totalRows(flow: FlowName, cpu: CpuPerPayment): string[] {
  const { totals } = cpu;
  const idle = FLOW_USES[flow].includes('pipeline') ? '' : ', idle in this flow';
  return [
    `| ${flowName(flow)} | **pipeline** (BFF, workers, Kafka, Redis${idle}) | | **${ms(totals.pipeline)}** | |`,
    `| ${flowName(flow)} | **server side, the flow's own** | | **${ms(totals.flowServer)}**${perCore(totals.flowServer)} | |`,
    `| ${flowName(flow)} | **server side, all** (every process but the load generator) | | **${ms(totals.server)}** | |`,
  ];
}

/** One row per process per flow, the totals after each flow's processes, the load generator last. */
function perProcessTable(runs: FlowSummary[]): string[] {
  const rows = ['| flow | process | kind | ms CPU / payment | CPU s |', '| --- | --- | --- | --- | --- |'];
  for (const s of runs) {
    const flow = flowName(s.flow);
    const row = (p: CpuPerPayment['processes'][number]) =>
      `| ${flow} | ${p.name} | ${p.group} | ${ms(p.msPerPayment)} | ${p.cpuMs === null ? '–' : (p.cpuMs / 1_000).toFixed(1)} |`;
    rows.push(
      ...s.cpu.processes.filter((p) => p.group !== 'generator').map(row),
      ...totalRows(s.flow, s.cpu),
      ...s.cpu.processes.filter((p) => p.group === 'generator').map(row),
    );
  }
  return rows;
}

const KAFKA_APIS = ['Fetch', 'Produce', 'OffsetCommit', 'Heartbeat'];

/** Kafka requests per payment of the improved flow's processes: what the broker's CPU pays for. */
function kafkaRequestTable(run: FlowSummary): string[] {
  if (run.kafkaRequests.length === 0) return [];
  const rows = [
    '',
    `**Kafka requests per signed-in payment, steady** ${run.offeredRate}/s, ${flowName(run.flow)}: requests each process's producer and consumer sent and got answered (\`payflow_kafka_requests_total\` on its /metrics, read before and after the run).`,
    '',
    `| process | ${KAFKA_APIS.join(' | ')} | other | total |`,
    `| --- |${' --- |'.repeat(KAFKA_APIS.length + 2)}`,
  ];
  for (const p of run.kafkaRequests) {
    const other = Math.max(0, Math.round((p.total - KAFKA_APIS.reduce((sum, api) => sum + (p.byApi[api] ?? 0), 0)) * 100) / 100);
    rows.push(`| ${p.process} | ${KAFKA_APIS.map((api) => p.byApi[api] ?? 0).join(' | ')} | ${other} | ${p.total} |`);
  }
  const total = Math.round(run.kafkaRequests.reduce((sum, p) => sum + p.total, 0) * 100) / 100;
  rows.push(`| **all** | ${KAFKA_APIS.map(() => '').join(' | ')} | | **${total}** |`);
  return rows;
}

/** The CPU tables of the README: per process for the steady scenario, the totals per step. */
export function cpuTables(results: BenchResults): string[] {
  const out: string[] = [];
  // A deployment started elsewhere: only the processes given by pid, and no counters but the BFF's (bench/drivers/deployment.ts).
  const { deployment } = results;
  if (deployment?.pids.length === 0) return out;
  if (results.steady) {
    out.push('', `**CPU per signed-in payment, steady** ${results.options.rate}/s. ${NOTE}`, '', ...perProcessTable(results.steady));
    if (deployment === undefined)
      out.push(...results.steady.filter((s) => s.flow === 'async').flatMap((s) => [...kafkaRequestTable(s), ...redisCommandTable(s)]));
  }
  if (results.step) {
    out.push('', `**CPU per signed-in payment at each step**, ${results.steady ? 'ms as above' : NOTE}`, '');
    out.push(
      "| flow | offered/s | signed in | pipeline | server side, the flow's own | server side, all | load generator | machine CPU |",
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const f of results.step.flows) {
      for (const s of f.steps) {
        const t = s.cpu.totals;
        out.push(
          `| ${flowName(f.flow)} | ${s.offeredRate}${s.sustained ? '' : ' ✗'} | ${s.signedIn} | ${ms(t.pipeline)} | ${ms(t.flowServer)}${perCore(t.flowServer)} | ${ms(t.server)} | ${ms(t.generator)} | ${Math.round(s.load.cpuBusy * 100)} % |`,
        );
      }
    }
  }
  return out;
}
