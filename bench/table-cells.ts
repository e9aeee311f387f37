/** Cells and heads of the markdown tables in latest.md. */

/** Errors as a count, then by code: `3 (timeout 2, DOWNSTREAM_UNAVAILABLE 1)`. */
export const errorCell = (count: number, byCode: Record<string, number>) =>
  count === 0 ? '0' : `${count} (${Object.entries(byCode).map(([code, n]) => `${code} ${n}`).join(', ')})`;

/** The header row and the separator row of a table with these columns. */
export const tableHead = (columns: string[]) => [`| ${columns.join(' | ')} |`, `|${' --- |'.repeat(columns.length)}`];
