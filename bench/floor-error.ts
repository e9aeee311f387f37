/** Why the floor could not be run or read; the bench stops, since the comparison was asked for. */
export type FloorErrorCode = 'FLOOR_DIR_MISSING' | 'FLOOR_PORT_TAKEN' | 'FLOOR_RUN_FAILED' | 'FLOOR_RESULT_MISSING' | 'FLOOR_RESULT_INVALID';

/** A problem with the floor that a person fixes; its message says what to do, and is printed without a stack. */
export class FloorError extends Error {
  constructor(
    readonly code: FloorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FloorError';
  }
}
