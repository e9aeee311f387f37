import { z } from 'zod';
import { Money } from './money.js';

/** Body of POST /api/payments. Unknown fields are refused; card numbers never reach us. */
export const PaymentRequest = z
  .object({
    planId: z.string().min(1).max(64),
    amount: Money,
    customer: z.object({ email: z.email().max(254) }).strict(),
    paymentMethod: z.object({ token: z.string().min(1).max(256) }).strict(),
  })
  .strict();
export type PaymentRequest = z.infer<typeof PaymentRequest>;

/** Answer of POST /api/payments (202). */
export const PaymentAccepted = z.object({
  paymentId: z.uuid(),
  clientSecret: z.string(),
  status: z.literal('processing'),
});
export type PaymentAccepted = z.infer<typeof PaymentAccepted>;

/** Optional header: the same key and body give the same answer. */
export const IdempotencyKey = z
  .string()
  .min(8)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** What the browser sends in the Socket.IO handshake `auth`. */
export const SocketAuth = z.object({ paymentId: z.uuid(), clientSecret: z.string().min(1).max(200) });
export type SocketAuth = z.infer<typeof SocketAuth>;
