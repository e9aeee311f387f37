/**
 * The operators' payment lookup (GET /ops/api/payments…): a payment's timeline as the BFF saw it.
 * Only what support needs: never the client secret, the card token or the SSO token.
 */
import { z } from 'zod';
import { ChargeActionDecline } from './charge-webhook.js';
import { DelayedStep } from './events.js';
import { Money } from './money.js';
import { PaymentStatusName } from './payment-status.js';
import { Reason } from './reason.js';

const at = z.iso.datetime();

export const TimelineEntry = z.discriminatedUnion('kind', [
  /** The BFF answered 202. */
  z.object({ kind: z.literal('accepted'), at, planId: z.string(), amount: Money, email: z.string() }),
  z.object({ kind: z.literal('PaymentSucceeded'), at, chargeId: z.string() }),
  z.object({ kind: z.literal('PaymentFailed'), at, reason: Reason }),
  z.object({ kind: z.literal('OrderConfirmed'), at, orderId: z.string() }),
  z.object({ kind: z.literal('OrderFailed'), at, chargeId: z.string(), reason: Reason }),
  z.object({ kind: z.literal('PaymentRefunded'), at, chargeId: z.string(), refundId: z.string(), reason: Reason }),
  z.object({ kind: z.literal('RefundFailed'), at, chargeId: z.string(), reason: Reason }),
  z.object({ kind: z.literal('RefundedByHand'), at, refundId: z.string() }),
  /** The bank asked the shopper to confirm: until when. Not the challenge's URL, which is the shopper's to use. */
  z.object({ kind: z.literal('PaymentRequiresAction'), at, chargeId: z.string(), expiresAt: at }),
  /** Billing Gates' webhook said the charge settled (not yet confirmed by the billing worker). */
  z.object({
    kind: z.literal('ChargeActionSettled'),
    at,
    webhookEventId: z.string(),
    chargeId: z.string(),
    status: z.enum(['succeeded', 'declined']),
    declineCode: ChargeActionDecline.optional(),
  }),
  /** The challenge's deadline passed with nothing settled: the billing worker asks Billing Gates and voids a charge still pending. */
  z.object({ kind: z.literal('ChargeActionExpired'), at, expiresAt: at }),
  /** A step that keeps failing and is being retried: how often so far, and the last error. */
  z.object({
    kind: z.literal('PaymentDelayed'),
    at,
    step: DelayedStep,
    since: at,
    attempts: z.number().int(),
    lastError: z.object({ code: z.string(), message: z.string() }),
    notice: Reason,
  }),
  /** The status the shopper sees changed. */
  z.object({ kind: z.literal('status'), at, from: PaymentStatusName, to: PaymentStatusName, reason: Reason.optional() }),
  /** A record of this payment that a consumer could not process and sent to `<topic>.dlq`. */
  z.object({
    kind: z.literal('dead-lettered'),
    at,
    topic: z.string(),
    consumerGroup: z.string(),
    code: z.string(),
    message: z.string(),
    partition: z.number().int(),
    offset: z.string(),
  }),
]);
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** One payment as the lookup shows it: its current status (if still stored) and its timeline, oldest first. */
export const PaymentRecord = z.object({
  paymentId: z.uuid(),
  /** The status snapshot without what only the payer may see (the sign-in); null once expired. */
  current: z
    .object({ status: PaymentStatusName, updatedAt: at, acceptedAt: at.optional(), reason: Reason.optional(), notice: Reason.extend({ since: at }).optional() })
    .nullable(),
  timeline: z.array(TimelineEntry),
});
export type PaymentRecord = z.infer<typeof PaymentRecord>;

/** GET /ops/api/payments/:paymentId */
export const PaymentLookup = z.object({
  payment: PaymentRecord,
  /** The other recent payments of the same email, newest first. */
  sameEmail: z.array(PaymentRecord),
});
export type PaymentLookup = z.infer<typeof PaymentLookup>;

/** GET /ops/api/payments?email=… */
export const EmailLookup = z.object({ email: z.string(), payments: z.array(PaymentRecord) });
export type EmailLookup = z.infer<typeof EmailLookup>;

/** The path of GET /ops/api/payments/:paymentId. */
export const PaymentLookupPath = z.object({ paymentId: z.uuid('must be a paymentId (a UUID)') });

/** The query of GET /ops/api/payments?email=… */
export const EmailLookupQuery = z.object({ email: z.email('must be an email address').max(320) });

/**
 * Every code the lookup API refuses with: the routes' refusals are typed from it, and the OpenAPI
 * document's test holds the lookup operations' error answers to exactly these.
 */
export const LOOKUP_ERROR_CODES = ['OPS_UNAUTHORIZED', 'PAYMENT_NOT_FOUND', 'INVALID_REQUEST', 'STORE_UNAVAILABLE'] as const;
export type LookupErrorCode = (typeof LOOKUP_ERROR_CODES)[number];
