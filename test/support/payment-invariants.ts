import type { PaymentEventType, PaymentSnapshot } from '../../contracts/index.js';
import { CHARGE_UNRESOLVED, isTerminal } from '../../contracts/index.js';

/** One side effect from a stand-in's `/__ledger`. */
export interface LedgerEntry {
  seq: number;
  kind: string;
  paymentId: string | null;
  /** Billing Gates' `decline` of a charge that required action: the challenge failed or expired (AUTHENTICATION_*). */
  declineCode?: string;
}

/** One 202 answer: the Idempotency-Key it was posted with and the payment it named. */
export interface KeyedAnswer {
  idempotencyKey: string;
  paymentId: string;
}

/** One outcome event read back from Kafka: its type, the payment it is about, and its reason's code if it has one. */
export interface OutcomeEvent {
  type: string;
  paymentId: string;
  reasonCode?: string | undefined;
}

export interface PaymentRecords {
  /** Billing Gates' ledger entries of this run: `charge`, `charge-pending`, `decline`, `void`, `refund`, `refund-refused`. */
  billing: LedgerEntry[];
  /** Udi's ledger entries of this run: `order-created`, `confirm`, `order-cancelled`, … */
  udi: LedgerEntry[];
  /** The final snapshot of every payment that was answered 202 and followed to its end. */
  snapshots: Map<string, PaymentSnapshot>;
  /** The outcome events published for these payments, when the caller read them from Kafka. */
  outcomes?: OutcomeEvent[];
  /** Every 202 answered to a request with an Idempotency-Key, replays included, when the caller kept them. */
  answers?: KeyedAnswer[];
}

/** Each money-safety rule a run must keep, with the payments that broke it. */
export interface Violations {
  /** More than one charge for one payment. */
  duplicateCharges: string[];
  /** Charged, with neither a confirmed order nor a refund. */
  chargedWithoutOrderOrRefund: string[];
  /** A confirmed order in Udi and a refund in Billing Gates: the shopper has an order for free, or lost it. */
  confirmedAndRefunded: string[];
  /** A refund with no charge behind it. */
  refundWithoutCharge: string[];
  /** Charged, but not a payment that reached a terminal status (never answered 202, or stuck). */
  chargedWithoutTerminalStatus: string[];
  /** Not in a terminal status at the end. */
  stuck: string[];
  /** A status the ledgers contradict: confirmed without charge and order, refunded without refund, failed but charged. */
  statusWithoutEffect: string[];
  /** Two different outcomes of one step: succeeded and failed, or an order confirmed and failed/refunded. */
  contradictoryOutcomes: string[];
  /**
   * One Idempotency-Key answered with two payments: a replay (after Redis lost the key's record,
   * say) made a second payment, and with it a second charge. Lists every payment of such a key.
   */
  paymentsForOneKey: string[];
  /**
   * Told "not charged" (a PaymentFailed published, other than CHARGE_UNRESOLVED, which says it
   * is not known) and charged all the same, before or after: the give-up's void must make it final.
   */
  chargedAfterNotCharged: string[];
  /** A charge key voided and a charge made for the same payment: a void must close the key for good. */
  voidedAndCharged: string[];
  /** A confirm in Udi for a payment whose order was given up (OrderFailed published): the give-up did not hold. */
  confirmedAfterGiveUp: string[];
  /** A refund of a payment whose order Udi never cancelled: nothing stopped a confirmation landing after it. */
  refundedWithoutCancel: string[];
  /**
   * A charge made for a payment whose bank challenge (3-D Secure) Billing Gates declined as failed
   * or abandoned: a settled challenge must settle its charge for good, whatever arrives later.
   */
  chargedAfterFailedChallenge: string[];
}

/** Outcome events that exclude each other: a payment may have those of one side only. */
const EXCLUSIVE_OUTCOMES: ReadonlyArray<readonly [readonly PaymentEventType[], readonly PaymentEventType[]]> = [
  [['PaymentSucceeded'], ['PaymentFailed']],
  [['OrderConfirmed'], ['OrderFailed', 'PaymentRefunded', 'RefundFailed']],
];

/**
 * The guarantees of DESIGN.md ("Guarantees to build and prove"), checked from what really
 * happened downstream (the stand-ins' ledgers), what the shoppers were told (the snapshots) and
 * what was published (the outcome events). Pure, so each rule has a unit test of its own.
 */
export function findViolations({ billing, udi, snapshots, outcomes, answers }: PaymentRecords): Violations {
  const charges = countBy(billing, 'charge');
  const refunds = countBy(billing, 'refund');
  const voids = countBy(billing, 'void');
  const confirms = countBy(udi, 'confirm');
  const cancels = countBy(udi, 'order-cancelled');
  const failedChallenges = new Set(
    billing.filter((e) => e.kind === 'decline' && e.declineCode?.startsWith('AUTHENTICATION_') === true && e.paymentId !== null).map((e) => e.paymentId!),
  );
  const givenUp = new Set((outcomes ?? []).filter((e) => e.type === 'OrderFailed').map((e) => e.paymentId));
  const charged = [...charges.keys()];
  const isConfirmed = (s: PaymentSnapshot) => s.status === 'confirmed';
  return {
    duplicateCharges: charged.filter((id) => charges.get(id)! > 1),
    chargedWithoutOrderOrRefund: charged.filter((id) => !confirms.has(id) && !refunds.has(id)),
    confirmedAndRefunded: [...confirms.keys()].filter((id) => refunds.has(id)),
    refundWithoutCharge: [...refunds.keys()].filter((id) => !charges.has(id)),
    chargedWithoutTerminalStatus: charged.filter((id) => !isTerminal(snapshots.get(id)?.status ?? 'processing')),
    stuck: [...snapshots.values()].filter((s) => !isTerminal(s.status)).map((s) => s.paymentId),
    statusWithoutEffect: [...snapshots.values()]
      .filter(
        (s) =>
          (isConfirmed(s) && !(charges.has(s.paymentId) && confirms.has(s.paymentId))) ||
          (s.status === 'refunded' && !refunds.has(s.paymentId)) ||
          (s.status === 'failed' && charges.has(s.paymentId)),
      )
      .map((s) => s.paymentId),
    contradictoryOutcomes: contradictions(outcomes ?? []),
    paymentsForOneKey: paymentsForOneKey(answers ?? []),
    chargedAfterNotCharged: [...toldNotCharged(outcomes ?? [])].filter((id) => charges.has(id)),
    voidedAndCharged: [...voids.keys()].filter((id) => charges.has(id)),
    confirmedAfterGiveUp: [...confirms.keys()].filter((id) => givenUp.has(id)),
    refundedWithoutCancel: [...refunds.keys()].filter((id) => !cancels.has(id)),
    chargedAfterFailedChallenge: [...failedChallenges].filter((id) => charges.has(id)),
  };
}

/** Every violation count is zero. */
export function violationCounts(violations: Violations): Record<keyof Violations, number> {
  return Object.fromEntries(Object.entries(violations).map(([rule, ids]) => [rule, (ids as string[]).length])) as Record<keyof Violations, number>;
}

/** How many payments had the same outcome event published more than once (at-least-once delivery: harmless, but counted). */
export function duplicatedOutcomes(outcomes: OutcomeEvent[]): number {
  const seen = new Map<string, number>();
  for (const { type, paymentId } of outcomes) seen.set(`${paymentId}|${type}`, (seen.get(`${paymentId}|${type}`) ?? 0) + 1);
  return new Set([...seen].filter(([, n]) => n > 1).map(([key]) => key.split('|')[0])).size;
}

/** Payments a PaymentFailed told they were not charged: every reason says so but CHARGE_UNRESOLVED. */
function toldNotCharged(outcomes: OutcomeEvent[]): Set<string> {
  return new Set(outcomes.filter((e) => e.type === 'PaymentFailed' && e.reasonCode !== CHARGE_UNRESOLVED).map((e) => e.paymentId));
}

function contradictions(outcomes: OutcomeEvent[]): string[] {
  const types = new Map<string, Set<string>>();
  for (const { type, paymentId } of outcomes) types.set(paymentId, (types.get(paymentId) ?? new Set()).add(type));
  return [...types]
    .filter(([, seen]) => EXCLUSIVE_OUTCOMES.some(([one, other]) => one.some((t) => seen.has(t)) && other.some((t) => seen.has(t))))
    .map(([paymentId]) => paymentId);
}

function paymentsForOneKey(answers: KeyedAnswer[]): string[] {
  const payments = new Map<string, Set<string>>();
  for (const { idempotencyKey, paymentId } of answers) payments.set(idempotencyKey, (payments.get(idempotencyKey) ?? new Set()).add(paymentId));
  return [...payments.values()].filter((ids) => ids.size > 1).flatMap((ids) => [...ids]);
}

function countBy(entries: LedgerEntry[], kind: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of entries) if (entry.kind === kind && entry.paymentId !== null) counts.set(entry.paymentId, (counts.get(entry.paymentId) ?? 0) + 1);
  return counts;
}
