import { z } from 'zod';

/** An amount in minor units (cents) of an ISO 4217 currency. */
export const Money = z
  .object({
    value: z.number().int().positive().max(100_000_000),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "EUR"'),
  })
  .strict();
export type Money = z.infer<typeof Money>;
