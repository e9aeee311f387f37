import { ApiError } from '../http/api-error.js';

const RETRY_AFTER = { 'Retry-After': '5' };

/**
 * The answer to a PaymentInitiated publish that failed. A publish refused before anything was
 * sent (the publisher's queue was full) charged nothing. Any other failure is ambiguous: a send
 * that timed out may still have been written by the broker, and then the payment will be charged,
 * so the answer says only what is known and how to retry without paying twice.
 */
export function publishFailure(err: unknown, withIdempotencyKey: boolean): ApiError {
  if (nothingWasSent(err)) {
    return new ApiError(
      503,
      'PUBLISH_QUEUE_FULL',
      'Payments cannot be accepted right now; nothing was charged. Please try again in a few seconds.',
      undefined,
      RETRY_AFTER,
    );
  }
  const message = withIdempotencyKey
    ? 'We could not confirm that your payment was received. Retry with the same Idempotency-Key; you will not be charged twice.'
    : 'We could not confirm that your payment was received, and it may still go through. A retry may create a second payment: send payments with an Idempotency-Key so that a retry with the same key cannot.';
  return new ApiError(503, 'PAYMENT_NOT_CONFIRMED', message, undefined, RETRY_AFTER);
}

/** The publisher's own refusal, before any record left the process. */
export function nothingWasSent(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'PUBLISH_QUEUE_FULL';
}
