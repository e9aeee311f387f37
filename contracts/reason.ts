import { z } from 'zod';

/** Why a payment did not go through: a stable code for machines, a sentence for the shopper. */
export const Reason = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  message: z.string().min(1).max(500),
});
export type Reason = z.infer<typeof Reason>;

/**
 * A payment failed without knowing whether its card was charged: Billing Gates would neither void
 * the charge nor say what it did. Unlike every other failure it does not mean "not charged", so
 * the page must not say so; support settles it.
 */
export const CHARGE_UNRESOLVED = 'CHARGE_UNRESOLVED';
