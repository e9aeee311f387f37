import { z } from 'zod';
import { ChargeActionDecline } from './charge-webhook.js';
import { Money } from './money.js';
import { NextAction } from './next-action.js';
import { Reason } from './reason.js';

/** Fields every event carries, whatever its type. */
const envelope = {
  eventId: z.uuid(),
  schemaVersion: z.literal(1),
  occurredAt: z.iso.datetime(),
  paymentId: z.uuid(),
  correlationId: z.string().min(1).max(200),
};

export const PaymentInitiated = z.object({
  ...envelope,
  type: z.literal('PaymentInitiated'),
  data: z.object({
    planId: z.string().min(1),
    amount: Money,
    customer: z.object({ email: z.email() }),
    paymentMethod: z.object({ token: z.string().min(1) }),
  }),
});

export const PaymentSucceeded = z.object({
  ...envelope,
  type: z.literal('PaymentSucceeded'),
  data: z.object({
    chargeId: z.string().min(1),
    planId: z.string().min(1),
    amount: Money,
    customer: z.object({ email: z.email() }),
  }),
});

export const PaymentFailed = z.object({
  ...envelope,
  type: z.literal('PaymentFailed'),
  data: z.object({ reason: Reason }),
});

/**
 * Billing Gates answered the charge `requires_action`: the shopper must confirm the payment at
 * their bank (3-D Secure) before the card is charged. The payment waits in `requires_action` until
 * the charge settles, which Billing Gates tells with its webhook (ChargeActionSettled), or the
 * challenge expires at `expiresAt`.
 */
export const PaymentRequiresAction = z.object({
  ...envelope,
  type: z.literal('PaymentRequiresAction'),
  data: z.object({
    chargeId: z.string().min(1).max(200),
    /** Where the shopper confirms: their bank's challenge. */
    nextAction: NextAction,
    /** When Billing Gates gives an unfinished challenge up and declines the charge (AUTHENTICATION_ABANDONED). */
    expiresAt: z.iso.datetime(),
  }),
});

/**
 * Billing Gates' signed webhook (contracts/charge-webhook.ts) said that a charge which required
 * action settled: as received by the BFF, checked for its signature and its time, and published
 * once per webhook id. A report, not an outcome: the webhook alone is not trusted for money, so
 * it moves no status; the billing worker asks Billing Gates' charge lookup, then publishes
 * PaymentSucceeded or PaymentFailed. Published for any paymentId the webhook names, one the BFF
 * has never seen included: the worker decides.
 */
export const ChargeActionSettled = z.object({
  ...envelope,
  type: z.literal('ChargeActionSettled'),
  data: z.object({
    /** The webhook's id, the same on every delivery of it. */
    webhookEventId: z.string().min(1).max(100),
    chargeId: z.string().min(1).max(200),
    status: z.enum(['succeeded', 'declined']),
    /** Set when declined. */
    declineCode: ChargeActionDecline.optional(),
  }),
});

/**
 * Nothing settled the charge by its challenge's `expiresAt`: the BFF's deadline sweep found the
 * payment still in requires_action (server/status/action-deadlines.ts), as when Billing Gates'
 * webhook never arrived. A report, like ChargeActionSettled, that moves no status: the billing
 * worker asks Billing Gates' charge lookup, voids a charge still pending (AUTHENTICATION_ABANDONED,
 * not charged), and publishes what holds.
 */
export const ChargeActionExpired = z.object({
  ...envelope,
  type: z.literal('ChargeActionExpired'),
  data: z.object({
    /** The deadline the payment's PaymentRequiresAction gave. */
    expiresAt: z.iso.datetime(),
  }),
});

/** Why a confirmed payment carries no sign-in token, in the shopper's words: they sign in by hand. */
export const SIGN_IN_UNAVAILABLE: Reason = { code: 'SIGN_IN_UNAVAILABLE', message: 'Your order is confirmed. Please sign in to the app with your email.' };

export const OrderConfirmed = z.object({
  ...envelope,
  type: z.literal('OrderConfirmed'),
  data: z.union([
    z.object({
      orderId: z.string().min(1),
      /** The one-time SSO token, sealed (AES-256-GCM, lib/token-cipher.ts): the log alone cannot sign anyone in. */
      encryptedSsoToken: z.string().min(1),
      ssoTokenExpiresAt: z.iso.datetime(),
    }),
    /**
     * Udi has the order confirmed but refused, for good, to issue a sign-in token: the payment ends
     * confirmed all the same (refunding a confirmed order is not an option), the shopper is told to
     * sign in by hand, and an operator was alerted.
     */
    z.object({ orderId: z.string().min(1), signInUnavailable: Reason }),
  ]),
});

export const OrderFailed = z.object({
  ...envelope,
  type: z.literal('OrderFailed'),
  data: z.object({ chargeId: z.string().min(1), reason: Reason }),
});

export const PaymentRefunded = z.object({
  ...envelope,
  type: z.literal('PaymentRefunded'),
  data: z.object({ chargeId: z.string().min(1), refundId: z.string().min(1), reason: Reason }),
});

/**
 * The charge of an order that could not be completed was not returned: Billing Gates refused the
 * refund, or kept failing past the refund budget. An operator must return the payment by hand.
 */
export const RefundFailed = z.object({
  ...envelope,
  type: z.literal('RefundFailed'),
  data: z.object({ chargeId: z.string().min(1), reason: Reason }),
});

/**
 * An operator returned the charge of a `refund_failed` payment by hand (in Billing Gates, with the
 * charge id from the payment's story) and recorded it from the live view: the payment is refunded.
 */
export const RefundedByHand = z.object({
  ...envelope,
  type: z.literal('RefundedByHand'),
  data: z.object({
    /** Billing Gates' id of the refund the operator made. */
    refundId: z.string().min(1).max(200),
    /** What the shopper is told. */
    reason: Reason,
  }),
});

/** The step of the flow a worker is retrying. */
export const DelayedStep = z.enum(['charge', 'order', 'refund', 'settle']);
export type DelayedStep = z.infer<typeof DelayedStep>;

/**
 * A notice, not an outcome: a step of this payment has kept failing transiently (Billing Gates
 * down, Udi slow) for longer than the worker's threshold, and the worker keeps trying. Published
 * once the threshold is passed and again every threshold while the step still fails; the BFF
 * shows `notice` to the shopper in place of the page's own guess, and keeps `attempts` and
 * `lastError` in the payment's history for support.
 */
export const PaymentDelayed = z.object({
  ...envelope,
  type: z.literal('PaymentDelayed'),
  data: z.object({
    step: DelayedStep,
    /** When the step first failed. */
    since: z.iso.datetime(),
    /** Tries of the step so far, all failed. */
    attempts: z.number().int().positive(),
    /** The last failure, for operators (never shown to the shopper). */
    lastError: z.object({ code: z.string().min(1).max(100), message: z.string().max(500) }),
    /** What the shopper is told, in their words. */
    notice: Reason,
  }),
});

export const PaymentEvent = z.discriminatedUnion('type', [
  PaymentInitiated,
  PaymentSucceeded,
  PaymentFailed,
  OrderConfirmed,
  OrderFailed,
  PaymentRefunded,
  RefundFailed,
  RefundedByHand,
  PaymentDelayed,
  PaymentRequiresAction,
  ChargeActionSettled,
  ChargeActionExpired,
]);

export type PaymentInitiated = z.infer<typeof PaymentInitiated>;
export type PaymentSucceeded = z.infer<typeof PaymentSucceeded>;
export type PaymentFailed = z.infer<typeof PaymentFailed>;
export type OrderConfirmed = z.infer<typeof OrderConfirmed>;
export type OrderFailed = z.infer<typeof OrderFailed>;
export type PaymentRefunded = z.infer<typeof PaymentRefunded>;
export type RefundFailed = z.infer<typeof RefundFailed>;
export type RefundedByHand = z.infer<typeof RefundedByHand>;
export type PaymentDelayed = z.infer<typeof PaymentDelayed>;
export type PaymentRequiresAction = z.infer<typeof PaymentRequiresAction>;
export type ChargeActionSettled = z.infer<typeof ChargeActionSettled>;
export type ChargeActionExpired = z.infer<typeof ChargeActionExpired>;
export type PaymentEvent = z.infer<typeof PaymentEvent>;
export type PaymentEventType = PaymentEvent['type'];
