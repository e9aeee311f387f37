import { ApiError } from '../http/api-error.js';

/**
 * The answer when Redis' replicas did not confirm the accept path's writes in time (a replica
 * down, the primary failing over). It comes before the publish, so nothing was charged; a retry
 * with the same Idempotency-Key names the same payment, and one second is about what a replica
 * needs to catch up or Sentinel to finish promoting one.
 */
export function notReplicated(): ApiError {
  return new ApiError(
    503,
    'REDIS_NOT_REPLICATED',
    'Payments cannot be accepted right now: the payment could not be stored safely in time, and nothing was charged. Retry with the same Idempotency-Key in a second.',
    undefined,
    { 'Retry-After': '1' },
  );
}
