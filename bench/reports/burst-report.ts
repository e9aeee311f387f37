import type { Percentiles } from '../measuring/stats.js';
import type { BenchResults } from '../results.js';
import { BACKGROUND_S, BURST_AT_S, type BurstSummary } from '../scenarios/burst.js';
import { FLOW_COLORS, flowName } from './flow-names.js';
import { lineChart } from './svg-chart.js';
import { errorCell, tableHead } from './table-cells.js';

const ms = (p: Percentiles) => `${p.p50} / ${p.p95} / ${p.p99} / ${p.max}`;

/** The burst scenario's table for latest.md: the burst's first answers, and the background's around it. */
export function burstTable(results: BenchResults): string[] {
  if (results.burst === undefined) return [];
  const { rate, burst } = results.options;
  const out = [
    '',
    `**Burst**: ${burst} shoppers at the same instant, second ${BURST_AT_S} of ${BACKGROUND_S} s of ${rate} shoppers/s, per flow. ` +
      'Each POST over a connection opened (and loaded once) beforehand. Dispatch = the load generator’s time to start every POST of the burst; lag = its worst event-loop delay meanwhile (both inside the first answers).',
    '',
    ...tableHead([
      'flow',
      'burst first answer',
      'burst signed in',
      'burst errors',
      'dispatch / lag ms',
      'background first answer',
      'background signed in',
      'background errors',
    ]),
  ];
  for (const s of results.burst) {
    const b = s.background;
    out.push(
      `| ${flowName(s.flow)} | ${ms(s.firstAnswer)} | ${s.signedIn} of ${s.size} | ${errorCell(s.errorCount, s.errors)} | ${s.dispatchMs} / ${s.generatorLagMaxMs} | ${ms(b.firstAnswer)} | ${ms(b.signedInLatency)} | ${errorCell(b.errorCount, b.errors)} |`,
    );
  }
  return out;
}

/** The distribution of the burst's first answers, per flow, for report.html. */
export function burstChart(runs: BurstSummary[], xTicks: [number, string][], nines: (p: number) => number): string {
  return lineChart({
    title: 'Burst: distribution of first answer',
    xLabel: 'percentile',
    yLabel: 'ms (log)',
    logY: true,
    xTicks,
    series: runs.map((s) => ({ name: `${s.flow} burst`, color: FLOW_COLORS[s.flow], points: s.spectrum.map(([p, v]) => [nines(p), v] as [number, number]) })),
  });
}
