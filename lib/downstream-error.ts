/**
 * A downstream answer that retrying cannot change (a declined card, a rejected order).
 * Anything else a handler throws is treated as transient and retried with backoff.
 */
export class PermanentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}
