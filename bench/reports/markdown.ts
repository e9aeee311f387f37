import type { Percentiles } from '../measuring/stats.js';
import type { FlowSummary } from '../measuring/summary.js';
import type { BenchResults } from '../results.js';
import type { StepResult } from '../scenarios/step.js';
import { burstTable } from './burst-report.js';
import { floorTables } from './floor-report.js';
import { flowName } from './flow-names.js';
import { cpuTables } from './markdown-cpu.js';
import { deploymentLines } from './markdown-deployment.js';
import { waitingTable } from './markdown-waiting.js';
import { scaleOutTable } from './scale-out-report.js';
import { surgeTable } from './surge-report.js';
import { bffDelayCell, errorCell } from './table-cells.js';
import { workersDownTable } from './workers-down-report.js';

const ms = (p: Percentiles) => `${p.p50} / ${p.p95} / ${p.p99} / ${p.max}`;
const errors = (s: FlowSummary) => errorCell(s.errorCount, s.errors);
/** A flow that sustained even the last rate never failed: its limit is above, unmeasured. */
const highest = (f: StepResult) => {
  if (f.maxSustainedRate === null) return 'none';
  return f.steps.at(-1)?.sustained === true ? `≥ ${f.maxSustainedRate}/s (sustained the last rate)` : `${f.maxSustainedRate}/s`;
};
const EVENT_LOOP_NOTE =
  "BFF event-loop delay: p50 / p99 / max ms over the run (prom-client's `monitorEventLoopDelay` on its /metrics); " +
  'each sample is the time between two ticks of a 10 ms timer, so an idle loop reads about 10.1 and a callback waited what lies above 10.';
const load = (s: FlowSummary) => `${Math.round(s.load.cpuBusy * 100)} % / ${s.load.loadavg1}`;

/** The tables of the README: one per scenario, both flows side by side. */
export function markdownTables(results: BenchResults): string {
  const { machine, latency } = results;
  const out: string[] = [
    ...deploymentLines(results),
    `Taken ${results.takenAt} on ${machine.cores} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node.slice(1)}; ` +
      `load average before ${results.deployment === undefined ? 'start' : 'the first run'} ${results.loadBefore}. Stand-in latency: Billing Gates ${latency.billingGatesMs} ms, Udi ${latency.udiMs} ms per call ` +
      `(${latency.sumMs} ms per payment). Latencies in ms as p50 / p95 / p99 / max; CPU is the whole machine's busy share during the run.`,
  ];
  if (results.steady) {
    out.push('', `**Steady**: ${results.options.rate} shoppers/s for ${results.options.duration} s per flow. ${EVENT_LOOP_NOTE}`, '');
    out.push(
      '| flow | offered/s | signed in/s | errors | first answer | BFF event-loop delay | signed in | overhead | CPU / load |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const s of results.steady) {
      // The current flow's first answer comes from the baseline server: the BFF idles meanwhile.
      const delay = s.flow === 'async' ? bffDelayCell(s.eventLoopDelay) : '–';
      out.push(
        `| ${flowName(s.flow)} | ${s.offeredRate} | ${s.achievedRate} | ${errors(s)} | ${ms(s.firstAnswer)} | ${delay} | ${ms(s.signedInLatency)} | ${ms(s.overhead)} | ${load(s)} |`,
      );
    }
  }
  if (results.step) {
    out.push(
      '',
      `**Step up to saturation**: ${results.options.stepDuration} s per rate; sustained = no error, nothing shed, p99 signed in ≤ ${results.step.p99BoundMs} ms.`,
      '',
    );
    out.push('| flow | highest rate sustained | steps (offered/s → p99 signed in, errors) |', '| --- | --- | --- |');
    for (const f of results.step.flows) {
      const steps = f.steps
        .map(
          (s) =>
            `${s.offeredRate} → ${s.signedInLatency.p99} ms${s.errorCount + s.shed > 0 ? `, ${s.errorCount + s.shed} failed` : ''}${s.sustained ? '' : ' ✗'}`,
        )
        .join('; ');
      out.push(`| ${flowName(f.flow)} | ${highest(f)} | ${steps} |`);
    }
  }
  if (results.outage) {
    const o = results.outage;
    out.push(
      '',
      `**Billing Gates down** for ${o.downForS} s from second ${o.downFromS}, ${results.options.rate} shoppers/s for ${results.options.outageDuration} s per flow. Waited = signed in more than ${o.waitThresholdMs} ms later than the stand-ins' latency explains.`,
      '',
    );
    out.push(
      '| flow | shoppers | error | waited | signed in | charged without order | orders left unconfirmed | signed in (all) |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const s of o.flows) {
      out.push(
        `| ${flowName(s.flow)} | ${s.offered} | ${errors(s)} | ${s.waited} | ${s.signedIn} | ${s.ledger.chargedWithoutOrder} | ${s.ledger.unconfirmedOrders} | ${ms(s.signedInLatency)} |`,
      );
    }
  }
  out.push(...burstTable(results));
  out.push(...waitingTable(results));
  out.push(...surgeTable(results));
  out.push(...workersDownTable(results));
  out.push(...cpuTables(results));
  out.push(...floorTables(results));
  out.push(...scaleOutTable(results));
  return out.join('\n') + '\n';
}
