import type { Percentiles } from '../measuring/stats.js';
import type { BenchResults } from '../results.js';
import type { WorkersDownFlow } from '../scenarios/workers-down.js';
import { flowName } from './flow-names.js';
import { errorCell, tableHead } from './table-cells.js';

const p50p99 = (p: Percentiles) => (p.count === 0 ? '–' : `${p.p50} / ${p.p99}`);
const seconds = (ms: number | null) => (ms === null || Number.isNaN(ms) ? '–' : (ms / 1_000).toFixed(1));

function takenAway(s: WorkersDownFlow): string {
  if (s.stopped === 'billing-gates') return 'Billing Gates down instead (the current flow has no workers)';
  const exits = s.workerExits.map((e) => `${e.name} ${e.signal ?? `exit ${e.code}`}`).join(', ');
  return `billing and order workers, SIGTERM (${exits})`;
}

/** The workers-down scenario's table for latest.md, and a line on the CPU it cannot measure. */
export function workersDownTable(results: BenchResults): string[] {
  const w = results.workersDown;
  if (w === undefined) return [];
  const { rate, workersDownDuration } = results.options;
  const out = [
    '',
    `**Workers down**: the billing and order workers stopped (SIGTERM) for ${w.stopForS} s from second ${w.stopFromS} of ${workersDownDuration} s of ${rate} shoppers/s, then started again. ` +
      'The current flow has no workers: its run has Billing Gates down for the same window instead. ' +
      '*During* = arrived from the stop to the start; *gone / back* = s from SIGTERM to the exits, and from the start to ready; ' +
      '*drained* = s from the start to the last sign-in of those who arrived before the workers were ready. First answers p50 / p99, signed in p50 / p99 / max, ms.',
    '',
    ...tableHead([
      'flow',
      'taken away',
      'gone / back, s',
      'shoppers',
      'errors',
      'timeouts',
      'first answer',
      'first answer, during',
      'signed in, during',
      'drained, s',
      'charged without order',
    ]),
  ];
  for (const s of w.flows) {
    const d = s.duringStop;
    const { window } = s;
    const signedIn = `${d.signedIn.count} of ${d.arrived}${d.signedIn.count === 0 ? '' : `: ${d.signedIn.p50} / ${d.signedIn.p99} / ${d.signedIn.max}`}`;
    out.push(
      `| ${flowName(s.flow)} | ${takenAway(s)} | ${seconds(window.goneAtMs - window.beginAtMs)} / ${seconds(window.backAtMs - window.endAtMs)} | ${s.offered} | ${errorCell(s.errorCount, s.errors)} | ${s.errors['timeout'] ?? 0} | ` +
        `${p50p99(s.firstAnswer)} | ${p50p99(d.firstAnswer)} | ${signedIn} | ${seconds(d.drainedMs)} | ${s.ledger.chargedWithoutOrder} |`,
    );
  }
  const unmeasured = [...new Set(w.flows.flatMap((s) => s.cpu.processes.filter((p) => p.cpuMs === null).map((p) => p.name)))];
  if (unmeasured.length > 0) {
    out.push(
      '',
      `No CPU per payment for this scenario: ${unmeasured.join(', ')} restarted during the run (a new pid), so their CPU cannot be read across it; ` +
        'latest.json has null for them, and its totals and Kafka requests leave them out.',
    );
  }
  return out;
}
