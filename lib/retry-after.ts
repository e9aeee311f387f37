/**
 * The longest wait a downstream's Retry-After is honoured for. A record waiting holds one of the
 * consumer's slots; past this, the caller's own backoff and budget decide, not the downstream.
 */
export const MAX_RETRY_AFTER_MS = 30_000;

/**
 * A Retry-After header as ms to wait (RFC 9110: whole seconds, or an HTTP date), at most
 * MAX_RETRY_AFTER_MS; undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1_000 : Date.parse(text) - now;
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : undefined;
}

/** How long an error asks to be waited for before the next try (its `retryAfterMs`), ms; 0 when it does not say. */
export function askedWaitMs(err: unknown): number {
  const ms = typeof err === 'object' && err !== null ? (err as { retryAfterMs?: unknown }).retryAfterMs : undefined;
  return typeof ms === 'number' && Number.isFinite(ms) ? Math.max(0, ms) : 0;
}
