import { PayflowError } from '../contracts/payflow-error.js';

/** A command line that cannot be understood (`npm run dlq`, `npm run bench`): its message says what is wrong; the command prints it with its usage and exits 2. */
export class UsageError extends PayflowError<'USAGE'> {
  constructor(message: string) {
    super('USAGE', message, { retryable: false });
  }
}
