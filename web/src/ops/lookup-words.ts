/** What each entry of a payment's timeline says, in an operator's words. Pure, so it is tested alone. */
import { STATUSES } from '../../../contracts/lifecycle.js';
import type { TimelineEntry } from '../../../contracts/payment-lookup.js';
import type { DelayedStep } from '../../../contracts/events.js';
import { formatMoney } from '../format-money.js';

export interface EntryWords {
  /** What happened, in a few words. */
  what: string;
  /** The facts support quotes: ids, reasons, retries, errors. */
  details: string[];
  /** How it reads: good news, bad news, waiting, or neither. */
  tone: 'ok' | 'bad' | 'busy' | 'plain';
}

const STEP_NAMES = {
  charge: 'charging the card (Billing Gates)',
  order: 'confirming the order (Udi)',
  refund: 'returning the charge (Billing Gates)',
  settle: "settling the charge after the bank's challenge (Billing Gates)",
} as const satisfies Record<DelayedStep, string>;

const because = (reason: { code: string; message: string }) => `${reason.code}: ${reason.message}`;

export function entryWords(entry: TimelineEntry): EntryWords {
  switch (entry.kind) {
    case 'accepted':
      return { what: 'Accepted (202)', details: [`plan ${entry.planId}, ${formatMoney(entry.amount)}`, `email ${entry.email}`], tone: 'plain' };
    case 'PaymentRequiresAction':
      return {
        what: 'The bank asked the shopper to confirm (3-D Secure)',
        details: [`charge id ${entry.chargeId}`, `the challenge expires at ${timeOf(entry.expiresAt)}`],
        tone: 'busy',
      };
    case 'ChargeActionSettled':
      return {
        what:
          entry.status === 'succeeded'
            ? "Billing Gates' webhook: the shopper confirmed; the billing worker checks the charge"
            : "Billing Gates' webhook: the charge was declined; the billing worker checks it",
        details: [
          `charge id ${entry.chargeId}`,
          `webhook id ${entry.webhookEventId}`,
          ...(entry.declineCode === undefined ? [] : [`decline ${entry.declineCode}`]),
        ],
        tone: 'plain',
      };
    case 'ChargeActionExpired':
      return {
        what: "The bank's challenge ran out of time with nothing settled; the billing worker checks the charge and voids it if still pending",
        details: [`the deadline was ${timeOf(entry.expiresAt)}`],
        tone: 'plain',
      };
    case 'PaymentSucceeded':
      return { what: 'Charged by Billing Gates', details: [`charge id ${entry.chargeId}`], tone: 'ok' };
    case 'PaymentFailed':
      return { what: 'Declined; nothing was charged', details: [because(entry.reason)], tone: 'bad' };
    case 'OrderConfirmed':
      return { what: 'Order confirmed in Udi', details: [`order id ${entry.orderId}`], tone: 'ok' };
    case 'OrderFailed':
      return { what: 'Order failed in Udi; the charge is being returned', details: [`charge id ${entry.chargeId}`, because(entry.reason)], tone: 'bad' };
    case 'PaymentRefunded':
      return { what: 'Charge returned', details: [`refund id ${entry.refundId}`, `charge id ${entry.chargeId}`, because(entry.reason)], tone: 'bad' };
    case 'RefundFailed':
      return { what: 'Refund failed: return the payment by hand', details: [`charge id ${entry.chargeId}`, because(entry.reason)], tone: 'bad' };
    case 'RefundedByHand':
      return { what: 'Charge returned by hand by an operator', details: [`refund id ${entry.refundId}`], tone: 'ok' };
    case 'PaymentDelayed':
      return {
        what: `Retrying: ${STEP_NAMES[entry.step]}`,
        details: [
          `${entry.attempts} attempt${entry.attempts === 1 ? '' : 's'} since ${timeOf(entry.since)}`,
          `last error ${because(entry.lastError)}`,
          `shopper told: ${entry.notice.message}`,
        ],
        tone: 'busy',
      };
    case 'status':
      return { what: `Status ${entry.from} → ${entry.to}`, details: entry.reason === undefined ? [] : [because(entry.reason)], tone: STATUSES[entry.to].tone };
    case 'dead-lettered':
      return {
        what: `Dead-lettered by ${entry.consumerGroup}`,
        details: [`${entry.topic}, partition ${entry.partition}, offset ${entry.offset}`, because({ code: entry.code, message: entry.message })],
        tone: 'bad',
      };
    default: {
      const unhandled: never = entry;
      throw new Error(`unhandled entry ${JSON.stringify(unhandled)}`);
    }
  }
}

/** "2026-12-01 23:40:29", local time: the Swedish locale writes dates and times the ISO way. */
export function timeOf(iso: string): string {
  return new Date(iso).toLocaleString('sv-SE', { hour12: false });
}
