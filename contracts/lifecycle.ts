/**
 * A payment's lifecycle, declared once: every status a payment can be in, and every event that can
 * happen to it. Everything else that lists statuses or events is derived from these two tables (the
 * projection's moves, the order of snapshots, the terminal set, the live view's stages, charts and
 * tones, the topics each process reads, the handlers each worker must have, the state diagram in
 * docs/architecture.md), so a new status or event starts here, and the compiler and the tests point
 * at what is left (CONTRIBUTING.md, "Adding an event and a status").
 *
 * No runtime imports: the browser's bundles read this module too.
 */
import type { PaymentEventType } from './events.js';
import type { TopicKey } from './topics.js';

export const STATUS_NAMES = ['processing', 'requires_action', 'paid', 'confirmed', 'failed', 'refunded', 'refund_failed'] as const;
export type StatusName = (typeof STATUS_NAMES)[number];

/** How a status reads to a person: good news, bad news, or neither (still on its way). */
export type Tone = 'ok' | 'bad' | 'plain';

export interface StatusSpec {
  /**
   * How far along the flow the status is. Every move goes to a higher rank, so of two snapshots of
   * one payment the one of higher rank is newer, whatever their seq (snapshot-order.ts).
   */
  rank: number;
  /** The shopper's page stops waiting, and the payment no longer counts as unfinished (the PayflowPaymentsUnfinished alert). */
  terminal: boolean;
  /** The only statuses it may move to; any other move (back, or out of a terminal status) is ignored. */
  next: readonly StatusName[];
  /** Its stage on the operators' live view: the heading, what it means, and the CSS colour of its line on the charts. */
  stage: { title: string; what: string; color: string };
  /** Bad news also puts the payment's reason among the live view's last errors. */
  tone: Tone;
  /** A payment in this status needs an operator: the live view marks its stage and its badge. */
  operatorMustAct: boolean;
}

export const STATUSES = {
  processing: {
    rank: 0,
    terminal: false,
    // Events of one payment travel on different topics, so OrderConfirmed can be read before
    // PaymentSucceeded: processing may jump ahead to any later status.
    next: ['requires_action', 'paid', 'confirmed', 'failed', 'refunded', 'refund_failed'],
    stage: { title: 'Accepted', what: 'PaymentInitiated is in Kafka; the billing worker is charging the card.', color: '--busy' },
    tone: 'plain',
    operatorMustAct: false,
  },
  requires_action: {
    rank: 1,
    // Not terminal: the shopper's page sends them to their bank, and follows the payment again when
    // they are back. The charge settles as paid or failed; as from processing, a later status read
    // before PaymentSucceeded (OrderConfirmed is on another topic) may come first.
    terminal: false,
    next: ['paid', 'confirmed', 'failed', 'refunded', 'refund_failed'],
    stage: {
      title: 'Waiting for the shopper',
      what: 'The bank asked the shopper to confirm the payment (3-D Secure); nothing is charged until they do.',
      color: '--busy',
    },
    tone: 'plain',
    operatorMustAct: false,
  },
  paid: {
    rank: 2,
    terminal: false,
    // A failed order moves no status: the payment stays paid while its charge is returned.
    next: ['confirmed', 'refunded', 'refund_failed'],
    stage: { title: 'Charged', what: 'Billing Gates charged the card; the order worker is confirming the order in Udi.', color: '--busy' },
    tone: 'plain',
    operatorMustAct: false,
  },
  confirmed: {
    rank: 4,
    terminal: true,
    next: [],
    stage: { title: 'Confirmed', what: 'Order confirmed; the shopper was handed the SSO token.', color: '--ok' },
    tone: 'ok',
    operatorMustAct: false,
  },
  failed: {
    rank: 4,
    terminal: true,
    next: [],
    stage: { title: 'Declined', what: 'The card was declined; nothing was charged.', color: '--danger' },
    tone: 'bad',
    operatorMustAct: false,
  },
  refunded: {
    rank: 4,
    terminal: true,
    next: [],
    stage: { title: 'Refunded', what: 'Udi could not complete the order; the charge was returned.', color: '--busy' },
    tone: 'bad',
    operatorMustAct: false,
  },
  refund_failed: {
    // Terminal for the shopper, yet one move is left: a refund that lands later (the OrderFailed
    // record replayed, or retried after a redelivery) tells them the truth, refunded. So it ranks
    // below refunded.
    rank: 3,
    terminal: true,
    next: ['refunded'],
    stage: { title: 'Refund failed', what: 'The order failed and the refund did not go through: return the payment by hand.', color: '--brand' },
    tone: 'bad',
    operatorMustAct: true,
  },
} as const satisfies Record<StatusName, StatusSpec>;

/** The processes that publish and read events (each is one consumer group). */
export const PROCESSES = ['bff', 'billing-worker', 'order-worker'] as const;
export type Process = (typeof PROCESSES)[number];

export interface EventSpec {
  /** What it records: a payment asked for (the flow's start), a step's outcome, or a notice that a step keeps failing (no outcome). */
  kind: 'request' | 'outcome' | 'notice';
  topic: TopicKey;
  producers: readonly Process[];
  /** The processes whose consumer groups read the event's topic and act on it. */
  consumers: readonly Process[];
  /** The status the event moves a payment to; null for one that moves none by itself. */
  movesTo: StatusName | null;
}

export const EVENTS = {
  PaymentInitiated: { kind: 'request', topic: 'paymentsInitiated', producers: ['bff'], consumers: ['billing-worker'], movesTo: null },
  PaymentSucceeded: { kind: 'outcome', topic: 'paymentsSucceeded', producers: ['billing-worker'], consumers: ['order-worker', 'bff'], movesTo: 'paid' },
  PaymentFailed: { kind: 'outcome', topic: 'paymentsFailed', producers: ['billing-worker'], consumers: ['bff'], movesTo: 'failed' },
  OrderConfirmed: { kind: 'outcome', topic: 'ordersConfirmed', producers: ['order-worker'], consumers: ['bff'], movesTo: 'confirmed' },
  // The charge is being returned: the shopper hears of it with PaymentRefunded or RefundFailed.
  OrderFailed: { kind: 'outcome', topic: 'ordersFailed', producers: ['order-worker'], consumers: ['billing-worker', 'bff'], movesTo: null },
  PaymentRefunded: { kind: 'outcome', topic: 'paymentsRefunded', producers: ['billing-worker'], consumers: ['bff'], movesTo: 'refunded' },
  // On the refund's own topic, beside PaymentRefunded: a payment's refund outcomes stay in order
  // (same key, same partition), so a refund that lands after a failed one is read after it.
  RefundFailed: { kind: 'outcome', topic: 'paymentsRefunded', producers: ['billing-worker'], consumers: ['bff'], movesTo: 'refund_failed' },
  // An operator returned the charge of a refund_failed payment by hand in Billing Gates, and
  // recorded it from the live view. On the refund's topic too, so it is read after the RefundFailed.
  RefundedByHand: { kind: 'outcome', topic: 'paymentsRefunded', producers: ['bff'], consumers: ['bff'], movesTo: 'refunded' },
  // The charge waits for the shopper to confirm at their bank. On a topic of its own: read before or
  // after the charge's outcome, the projection keeps the later status.
  PaymentRequiresAction: {
    kind: 'outcome',
    topic: 'paymentsActionRequired',
    producers: ['billing-worker'],
    consumers: ['bff'],
    movesTo: 'requires_action',
  },
  // Billing Gates' signed webhook, as the BFF received it: the charge that required action settled.
  // Not trusted for money, so it moves nothing: the billing worker asks Billing Gates' charge
  // lookup, then publishes PaymentSucceeded or PaymentFailed.
  ChargeActionSettled: { kind: 'outcome', topic: 'paymentsActionSettled', producers: ['bff'], consumers: ['billing-worker'], movesTo: null },
  // The BFF's deadline sweep: the charge's challenge is past its expiresAt with nothing settled.
  // Beside the webhook's word, on its topic, so the billing worker reads the two in order.
  ChargeActionExpired: { kind: 'outcome', topic: 'paymentsActionSettled', producers: ['bff'], consumers: ['billing-worker'], movesTo: null },
  // A notice, not an outcome: it changes what the shopper is told while a step keeps failing.
  PaymentDelayed: { kind: 'notice', topic: 'paymentNotices', producers: ['billing-worker', 'order-worker'], consumers: ['bff'], movesTo: null },
} as const satisfies Record<PaymentEventType, EventSpec>;

type Statuses = typeof STATUSES;
type Events = typeof EVENTS;

export type TerminalStatus = { [S in StatusName]: Statuses[S]['terminal'] extends true ? S : never }[StatusName];
/** The event types a process acts on: a worker must have a handler for each. */
export type EventsReadBy<P extends Process> = { [E in PaymentEventType]: P extends Events[E]['consumers'][number] ? E : never }[PaymentEventType];

/** A record with one entry per status, each `value(status)`: how code keyed by status is built, so a new status is never missed. */
export function perStatus<T>(value: (status: StatusName) => T): Record<StatusName, T> {
  return Object.fromEntries(STATUS_NAMES.map((status) => [status, value(status)])) as Record<StatusName, T>;
}
