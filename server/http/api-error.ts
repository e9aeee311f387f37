import { PayflowError } from '../../contracts/payflow-error.js';

/**
 * An error answered to an HTTP client as `{ error: { code, message, details } }`. Retryable when
 * the same request, sent again later, may be answered otherwise: a 429, or a 5xx (Redis or Kafka
 * away, PAYMENT_NOT_CONFIRMED); never a 4xx about the request itself.
 */
export class ApiError extends PayflowError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message, { retryable: status === 429 || status >= 500 });
  }
}
