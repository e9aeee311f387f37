import type { BenchResults } from '../results.js';
import { ANSWERED_WITHIN_MS, type SurgeResult } from '../scenarios/surge.js';
import { FLOW_COLORS, flowName } from './flow-names.js';
import { lineChart, type Series } from './svg-chart.js';
import { errorCell } from './table-cells.js';

/** The surge scenario's table for latest.md. */
export function surgeTable(results: BenchResults): string[] {
  const surge = results.surge;
  if (surge === undefined) return [];
  const out = [
    '',
    `**Surge**: Billing Gates takes at most ${surge.capacityPerS} charges/s (429 with Retry-After beyond); ${surge.rate} shoppers/s (${surge.rate / surge.capacityPerS} × that) for ${surge.durationS} s per flow, then none. ` +
      `Answered = a 202 (improved) or 200 (current) within ${ANSWERED_WITHIN_MS / 1_000} s; drain = from the first arrival to the last shopper signed in; each shopper waits up to ${surge.timeoutS} s.`,
    '',
    '| flow | shoppers | answered within 1 s | first answer p50 / p99 | signed in | errors and timeouts | drain s | charged without order | orders left unconfirmed |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of surge.flows) {
    out.push(
      `| ${flowName(s.flow)} | ${s.offered} | ${s.answeredWithin1s} (${Math.round(s.answeredShare * 1_000) / 10} %) | ${s.firstAnswer.p50} / ${s.firstAnswer.p99} | ${s.signedIn} | ${errorCell(s.errorCount + s.shed, s.shed === 0 ? s.errors : { ...s.errors, shed: s.shed })} | ${s.lastSignedInS ?? '–'} | ${s.ledger.chargedWithoutOrder} | ${s.ledger.unconfirmedOrders} |`,
    );
  }
  return out;
}

/** Shoppers signed in over time per flow, against the arrivals and what Billing Gates' capacity lets through. */
export function surgeChart(surge: SurgeResult): string {
  const offered = Math.max(0, ...surge.flows.map((s) => s.offered));
  const end = Math.max(surge.durationS, ...surge.flows.map((s) => s.signedInBySecond.length));
  const series: Series[] = [
    {
      name: 'arrivals',
      color: '#555',
      points: [
        [0, 0],
        [surge.durationS, offered],
        [end, offered],
      ],
    },
    {
      name: `capacity ${surge.capacityPerS}/s`,
      color: '#999',
      dashed: true,
      points: [
        [0, 0],
        [offered / surge.capacityPerS, offered],
      ],
    },
    ...surge.flows.map((s) => ({
      name: `${s.flow} signed in`,
      color: FLOW_COLORS[s.flow],
      points: [[0, 0], ...s.signedInBySecond.map((n, i) => [i + 1, n])] as [number, number][],
    })),
  ];
  const xTicks = Array.from({ length: Math.floor(end / 10) + 1 }, (_, i): [number, string] => [i * 10, String(i * 10)]);
  return lineChart({ title: 'Surge: shoppers signed in over time', xLabel: 's from the first arrival', yLabel: 'shoppers', xTicks, series });
}
