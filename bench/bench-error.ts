/** A problem a person fixes before the bench can measure: printed as its code and its message, which says what to do, without a stack. */
export class BenchError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
