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
 * Awaits Redis work that a person waits on. Redis refusing, failing or not answering within the
 * client's command timeout is a 503 they can act on (`message`: try again shortly), never a bare
 * 500. An answer of our own (ApiError) and a stored value that cannot be read (PermanentError, a
 * fault of the data and not of Redis) pass through as they are.
 */
export async function orStoreUnavailable<T>(work: Promise<T>, message: string, logger: Logger, context: Record<string, unknown> = {}): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof ApiError || err instanceof PermanentError) throw err;
    logger.warn({ err, ...context }, 'Redis failed; answering 503 STORE_UNAVAILABLE');
    throw storeUnavailable(message);
  }
}
