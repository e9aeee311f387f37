import type { Spectrum } from '../measuring/stats.js';
import type { FlowSummary } from '../measuring/summary.js';
import type { BenchResults } from '../results.js';
import { burstChart } from './burst-report.js';
import { cpuBars, cpuByRate } from './cpu-charts.js';
import { FLOW_COLORS as COLORS, flowName } from './flow-names.js';
import { markdownTables } from './markdown.js';
import { scaleOutSection } from './scale-out-report.js';
import { surgeChart } from './surge-report.js';
import { escapeHtml, lineChart, type Band, type Series } from './svg-chart.js';

/** Percentile on a "nines" axis: 90 → 1, 99 → 2, 99.9 → 3, so the tail gets room. */
const nines = (p: number) => Math.min(4, -Math.log10(Math.max(1e-4, 1 - p / 100)));
const NINES_TICKS: [number, string][] = [
  [0, '0'],
  [nines(50), '50'],
  [1, '90'],
  [2, '99'],
  [3, '99.9'],
  [4, '99.99'],
];

/** Latency by arrival second and its distribution, per flow; `band` shades a window on the timelines (an outage). */
function timelineCharts(runs: FlowSummary[], title: string, band?: Band): string {
  const series = (pick: 'firstAnswer' | 'signedIn'): Series[] =>
    runs.flatMap((s) => [
      { name: `${s.flow} p50`, color: COLORS[s.flow], points: s.timeline.map((t) => [t.t, t[`${pick}P50`]] as [number, number]) },
      { name: `${s.flow} p99`, color: COLORS[s.flow], dashed: true, points: s.timeline.map((t) => [t.t, t[`${pick}P99`]] as [number, number]) },
    ]);
  const spectrum = (pick: (s: FlowSummary) => Spectrum, what: string): Series[] =>
    runs.map((s) => ({ name: `${s.flow} ${what}`, color: COLORS[s.flow], points: pick(s).map(([p, v]) => [nines(p), v] as [number, number]) }));
  return [
    lineChart({
      title: `${title}: time to first answer over time`,
      xLabel: 'arrival second',
      yLabel: 'ms (log)',
      logY: true,
      band,
      series: series('firstAnswer'),
    }),
    lineChart({ title: `${title}: time to signed-in over time`, xLabel: 'arrival second', yLabel: 'ms (log)', logY: true, band, series: series('signedIn') }),
    lineChart({
      title: `${title}: distribution of first answer`,
      xLabel: 'percentile',
      yLabel: 'ms (log)',
      logY: true,
      xTicks: NINES_TICKS,
      series: spectrum((s) => s.spectrum.firstAnswer, 'first answer'),
    }),
    lineChart({
      title: `${title}: distribution of signed-in`,
      xLabel: 'percentile',
      yLabel: 'ms (log)',
      logY: true,
      xTicks: NINES_TICKS,
      series: spectrum((s) => s.spectrum.signedIn, 'signed in'),
    }),
  ].join('\n');
}

/** A single HTML file with the tables and inline SVG charts: no script, no external resource. */
export function htmlReport(results: BenchResults): string {
  const sections: string[] = [];
  if (results.steady) sections.push(`<h2>Steady</h2>${cpuBars(results.steady, 'Steady')}${timelineCharts(results.steady, 'Steady')}`);
  if (results.step) {
    const step = results.step;
    const charts = lineChart({
      title: 'Step up: p99 time to signed-in by offered rate',
      xLabel: 'offered shoppers/s',
      yLabel: 'ms (log)',
      logY: true,
      series: step.flows.map((f) => ({
        name: flowName(f.flow),
        color: COLORS[f.flow],
        points: f.steps.map((s) => [s.offeredRate, s.signedInLatency.p99] as [number, number]),
      })),
    });
    const last = step.flows.map((f) => f.steps.at(-1)).filter((s): s is NonNullable<typeof s> => s !== undefined);
    sections.push(`<h2>Step up to saturation</h2>${charts}${cpuByRate(step.flows)}<h3>Last step of each flow</h3>${timelineCharts(last, 'Last step')}`);
  }
  if (results.outage) {
    const { downFromS, downForS, flows } = results.outage;
    sections.push(
      `<h2>Billing Gates down for ${downForS} s (from second ${downFromS})</h2>${timelineCharts(flows, 'Outage', { from: downFromS, to: downFromS + downForS, label: 'Billing Gates down' })}`,
    );
  }
  if (results.workersDown) {
    const { stopFromS, stopForS, flows } = results.workersDown;
    const band = { from: stopFromS, to: stopFromS + stopForS, label: 'workers stopped / Billing Gates down' };
    sections.push(
      `<h2>Workers stopped for ${stopForS} s (from second ${stopFromS}); the current flow: Billing Gates down instead</h2>${timelineCharts(flows, 'Workers down', band)}`,
    );
  }
  if (results.burst)
    sections.push(
      `<h2>Burst of ${results.options.burst}</h2>${burstChart(results.burst, NINES_TICKS, nines)}${timelineCharts(
        results.burst.map((b) => b.background),
        'Around the burst',
      )}`,
    );
  if (results.surge)
    sections.push(
      `<h2>Surge: 3 × Billing Gates' capacity of ${results.surge.capacityPerS} charges/s</h2>${surgeChart(results.surge)}${timelineCharts(results.surge.flows, 'Surge')}`,
    );
  if (results.scaleOut) sections.push(scaleOutSection(results.scaleOut));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>payflow benchmark ${escapeHtml(results.takenAt)}</title>
<style>body{font-family:sans-serif;max-width:1180px;margin:1em auto;padding:0 1em}svg{margin:4px;border:1px solid #eee}pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}</style></head>
<body><h1>${results.deployment === undefined ? 'payflow: improved flow vs current flow' : `payflow at ${escapeHtml(results.deployment.url)}: a deployment started elsewhere`}</h1>
<p>Green: the improved (Kafka) flow. Red: the current (synchronous) flow. Solid: p50, dashed: p99, by arrival second.</p>
<pre>${escapeHtml(markdownTables(results))}</pre>
${sections.join('\n')}
</body></html>
`;
}
