import type { BenchResults } from '../results.js';

const mb = (kb: number | null) => (kb === null ? '–' : String(Math.round(kb / 102.4) / 10));
const kb = (value: number | null) => (value === null ? '–' : String(value));

/** The waiting scenario's one row: the BFF's memory before and while the shoppers wait, per shopper. */
export function waitingTable(results: BenchResults): string[] {
  const w = results.waiting;
  if (w === undefined) return [];
  const errors =
    w.errorCount === 0
      ? '0'
      : `${w.errorCount} (${Object.entries(w.errors)
          .map(([code, n]) => `${code} ${n}`)
          .join(', ')})`;
  return [
    '',
    `**Memory per waiting shopper**: Billing Gates down, ${w.shoppers} shoppers each POST a payment and wait with their socket open (improved flow). ` +
      "The BFF's RSS (`/proc/<pid>/status` VmRSS) and V8 heap in use (`nodejs_heap_size_used_bytes`), settled, before they arrive and while they wait; " +
      'then Billing Gates comes back and every shopper is followed to the end.',
    '',
    '| shoppers waiting | BFF RSS before / during, MB | KB per waiting shopper | heap before / during, MB | heap KB per shopper | target | signed in after | errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${w.waiting} of ${w.shoppers} | ${mb(w.before.rssKb)} / ${mb(w.during.rssKb)} | **${kb(w.kbPerShopper)}** | ${mb(w.before.heapKb)} / ${mb(w.during.heapKb)} | ${kb(w.heapKbPerShopper)} | ≤ ${w.targetKb} KB | ${w.signedIn} | ${errors} |`,
  ];
}
