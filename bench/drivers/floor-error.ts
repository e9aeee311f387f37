import { BenchError } from '../bench-error.js';

/** Why the floor could not be run or read; the bench stops, since the comparison was asked for. */
export type FloorErrorCode = 'FLOOR_DIR_MISSING' | 'FLOOR_PORT_TAKEN' | 'FLOOR_RUN_FAILED' | 'FLOOR_RESULT_MISSING' | 'FLOOR_RESULT_INVALID';

/** A problem with the floor that a person fixes. */
export class FloorError extends BenchError<FloorErrorCode> {}
