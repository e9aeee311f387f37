import { PermanentError } from '../../lib/downstream-error.js';
import type { Logger } from '../../lib/logger.js';
import { ApiError } from './api-error.js';

/** How long a client is asked to wait before it tries again while Redis is away. */
const RETRY_AFTER_SECONDS = '5';

/** 503 STORE_UNAVAILABLE with `message`, the sentence that says what to do, and Retry-After. */
export function storeUnavailable(message: string): ApiError {
  return new ApiError(503, 'STORE_UNAVAILABLE', message, undefined, { 'Retry-After': RETRY_AFTER_SECONDS });
}

/**
 * Awaits a read of Redis that a person waits on. Redis refusing, failing or not answering within
 * the client's command timeout is a 503 they can act on (try again shortly), never a bare 500.
 * An answer of our own (ApiError) and a stored value that cannot be read (PermanentError, a fault
 * of the data and not of Redis) pass through as they are.
 */
export async function readFromStore<T>(read: Promise<T>, what: string, logger: Logger, context: Record<string, unknown> = {}): Promise<T> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof ApiError || err instanceof PermanentError) throw err;
    logger.warn({ err, ...context }, `${what} could not be read from Redis; answering 503`);
    throw storeUnavailable(`${what} cannot be read right now; please try again in a few seconds.`);
  }
}
