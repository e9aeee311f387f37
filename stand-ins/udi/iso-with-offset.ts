/** `date` as ISO 8601 in the time zone `offsetMinutes` east of UTC, e.g. `2026-01-01T02:00:00.000+02:00`; `Z` for 0. */
export function isoWithOffset(date: Date, offsetMinutes: number): string {
  if (offsetMinutes === 0) return date.toISOString();
  const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}
