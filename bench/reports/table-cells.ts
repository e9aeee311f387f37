import type { EventLoopDelay } from '../measuring/event-loop-delay.js';

/** Cells and heads of the markdown tables in latest.md. */

/** Errors as a count, then by code: `3 (timeout 2, DOWNSTREAM_UNAVAILABLE 1)`. */
export const errorCell = (count: number, byCode: Record<string, number>) =>
  count === 0
    ? '0'
    : `${count} (${Object.entries(byCode)
        .map(([code, n]) => `${code} ${n}`)
        .join(', ')})`;

/** The header row and the separator row of a table with these columns. */
export const tableHead = (columns: string[]) => [`| ${columns.join(' | ')} |`, `|${' --- |'.repeat(columns.length)}`];

/** An event-loop delay as `p50 / p99 / max` ms; – without a figure. */
export const delayCell = (delay: EventLoopDelay | undefined) => (delay === undefined ? '–' : `${delay.p50} / ${delay.p99} / ${delay.max}`);

/** The BFF's event-loop delay: each replica's, named, when there are several. */
export function bffDelayCell(delays: readonly EventLoopDelay[]): string {
  const bffs = delays.filter((d) => d.process === 'bff' || d.process.startsWith('bff-'));
  return bffs.length <= 1 ? delayCell(bffs[0]) : bffs.map((d) => `${d.process} ${delayCell(d)}`).join('; ');
}
