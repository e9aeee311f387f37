import { PayflowError } from '../contracts/payflow-error.js';

/**
 * A problem with the local setup that a person fixes (a missing tool, a port in use, a broker
 * that would not start). Its message is one or a few lines that say what to do; entry points
 * print it without a stack trace.
 */
export class InfraError extends PayflowError<'INFRA_UNAVAILABLE'> {
  constructor(message: string) {
    super('INFRA_UNAVAILABLE', message, { retryable: false });
  }
}
