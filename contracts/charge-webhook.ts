import { z } from 'zod';

/** Where payflow's BFF takes Billing Gates' webhooks; Billing Gates is configured to post there (WEBHOOK_URL). */
export const BILLING_GATES_WEBHOOK_PATH = '/api/webhooks/billing-gates';

/**
 * Why a charge that asked for the shopper's action was declined once it settled: the shopper
 * failed the bank's challenge, or never finished it before it expired.
 */
export const ChargeActionDecline = z.enum(['AUTHENTICATION_FAILED', 'AUTHENTICATION_ABANDONED']);
export type ChargeActionDecline = z.infer<typeof ChargeActionDecline>;

/**
 * The body of the webhook Billing Gates sends when a charge that required action settles, signed
 * with HMAC-SHA256 over `<timestamp>.<body>` (lib/webhook-signature.ts), at least once: a retry
 * carries the same `id`, by which the receiver drops what it has already taken. It says what
 * happened, but is not trusted for money: the billing worker asks Billing Gates' charge lookup
 * before it publishes an outcome.
 */
export const ChargeSettledWebhook = z.object({
  /** The webhook event's id, the same on every delivery of it. */
  id: z.string().min(1).max(100),
  type: z.literal('charge.settled'),
  /** When Billing Gates settled the charge (ISO 8601). */
  created: z.iso.datetime(),
  data: z.object({
    paymentId: z.uuid(),
    /** The charge's idempotency key (`charge:<paymentId>`). */
    idempotencyKey: z.string().min(1).max(200),
    chargeId: z.string().min(1).max(200),
    status: z.enum(['succeeded', 'declined']),
    /** Set when declined. */
    declineCode: ChargeActionDecline.optional(),
  }),
});
export type ChargeSettledWebhook = z.infer<typeof ChargeSettledWebhook>;

/** The answer to a webhook taken (200): published now, or taken before (a retry of one already published). */
export const WebhookReceived = z.object({
  /** True when this webhook's id was taken before: nothing was published again. */
  duplicate: z.boolean(),
  /** The ChargeActionSettled published for it; absent for a duplicate. */
  eventId: z.uuid().optional(),
});
export type WebhookReceived = z.infer<typeof WebhookReceived>;

/** Why a webhook is refused for good (400): the sender must not send it again as it is. Nothing is published for it. */
export const WEBHOOK_REFUSAL_CODES = ['WEBHOOK_SIGNATURE_MISSING', 'WEBHOOK_SIGNATURE_INVALID', 'WEBHOOK_TIMESTAMP_STALE', 'INVALID_WEBHOOK'] as const;
export type WebhookRefusalCode = (typeof WEBHOOK_REFUSAL_CODES)[number];
