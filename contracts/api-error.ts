import { z } from 'zod';

/** Every error answer of the BFF's HTTP API. */
export const ApiErrorBody = z.object({
  error: z.object({
    /** Stable, for programs: e.g. INVALID_REQUEST, IDEMPOTENCY_KEY_REUSED, PAYMENT_NOT_CONFIRMED. */
    code: z.string(),
    /** A sentence a person can act on. */
    message: z.string(),
    /** For INVALID_REQUEST: one entry per bad field. */
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
