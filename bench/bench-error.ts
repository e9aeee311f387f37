import { PayflowError } from '../contracts/payflow-error.js';

/** A problem a person fixes before the bench can measure: printed as its code and its message, which says what to do, without a stack. */
export class BenchError<Code extends string = string> extends PayflowError<Code> {
  constructor(code: Code, message: string) {
    super(code, message, { retryable: false });
  }
}
