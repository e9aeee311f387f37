import { z } from 'zod';
import { STATUS_NAMES, STATUSES, type TerminalStatus } from './lifecycle.js';
import { NextAction } from './next-action.js';
import { Reason } from './reason.js';

/** A payment's status; what each means and where it may move is in the lifecycle's table (lifecycle.ts). */
export const PaymentStatusName = z.enum(STATUS_NAMES);
export type PaymentStatusName = z.infer<typeof PaymentStatusName>;

export const TERMINAL_STATUSES: readonly TerminalStatus[] = STATUS_NAMES.filter((status): status is TerminalStatus => STATUSES[status].terminal);

/** What the browser needs to enter the SaaS app once the order is confirmed. */
export const SignIn = z.object({
  ssoToken: z.string(),
  expiresAt: z.iso.datetime(),
  /** Where the browser POSTs the token (form field `token`). */
  landingUrl: z.url(),
});

/** The status snapshot pushed over Socket.IO and served by GET /api/payments/:id. */
export const PaymentSnapshot = z.object({
  paymentId: z.uuid(),
  status: PaymentStatusName,
  /**
   * Grows by one on every change. A snapshot Redis lost is started again from 0 by the payment's
   * next event, so a client keeps the later status first and the higher seq second (snapshot-order.ts).
   */
  seq: z
    .number()
    .int()
    .nonnegative()
    .describe(
      'Grows by one on every change. Keep the snapshot with the later status, and of the same status the higher seq: a snapshot the server lost starts its seq again from 0.',
    ),
  updatedAt: z.iso.datetime(),
  /** When the BFF accepted the payment (its 202); what the time to each status is measured from. */
  acceptedAt: z.iso.datetime().optional(),
  reason: Reason.optional(),
  /**
   * While a step keeps failing and the payment waits (status processing or paid): what the server
   * knows, in the shopper's words, from when. Gone with the next status.
   */
  notice: Reason.extend({ since: z.iso.datetime().describe('When the step first failed.') })
    .describe(
      'While a step keeps failing and the payment waits (status processing, paid, or requires_action once the bank answered), what the server knows, in words for the shopper: ' +
        'CHARGE_DELAYED (nothing has been charged), CHARGE_DELAYED_UNCERTAIN (the charge may have gone through; never twice), ORDER_DELAYED, REFUND_DELAYED, SETTLE_DELAYED (the bank answered; the charge is being settled). ' +
        'Absent when nothing is known to be wrong; gone with the next status. Show `message`; the code is for machines.',
    )
    .optional(),
  signIn: SignIn.optional(),
  /** In `requires_action` only: where the shopper confirms the payment with their bank. */
  nextAction: NextAction.describe(
    'Present only while the status is requires_action: the bank asked the shopper to confirm the payment. Send the browser to `url` (type redirect); it comes back to the checkout, which follows the payment again.',
  ).optional(),
});
export type PaymentSnapshot = z.infer<typeof PaymentSnapshot>;

export function isTerminal(status: PaymentStatusName): status is TerminalStatus {
  return STATUSES[status].terminal;
}
