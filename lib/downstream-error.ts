import { PayflowError } from '../contracts/payflow-error.js';

/**
 * An answer that retrying cannot change: a downstream's refusal (a declined card, a rejected
 * order) or stored data that cannot be read. A step gives up at once on it (StepBudget); a handler
 * that lets it through has its record dead-lettered.
 */
export class PermanentError extends PayflowError {
  constructor(code: string, message: string) {
    super(code, message, { retryable: false });
  }
}
