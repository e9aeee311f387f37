import { expect } from 'vitest';
import type { PaymentSnapshot, Topics } from '../../contracts/index.js';
import { EVENT_TOPIC, EVENT_TYPES, EVENTS, isTerminal, TERMINAL_EVENTS } from '../../contracts/index.js';
import { readRecords } from '../support/kafka-records.js';
import {
  duplicatedOutcomes,
  findViolations,
  violationCounts,
  type KeyedAnswer,
  type LedgerEntry,
  type OutcomeEvent,
  type Violations,
} from '../support/payment-invariants.js';
import type { Accepted } from './load.js';

export type { LedgerEntry };

async function ledger(url: string): Promise<LedgerEntry[]> {
  return ((await (await fetch(`${url}/__ledger`)).json()) as { entries: LedgerEntry[] }).entries;
}

/** The payment's snapshot as its page reads it (GET with its client secret); null for any failure. */
export async function snapshot(bffUrl: string, payment: Accepted): Promise<PaymentSnapshot | null> {
  try {
    const response = await fetch(`${bffUrl}/api/payments/${payment.paymentId}`, { headers: { authorization: `Bearer ${payment.clientSecret}` } });
    return response.ok ? ((await response.json()) as PaymentSnapshot) : null;
  } catch {
    return null;
  }
}

/** Polls until every accepted payment has a terminal snapshot; returns them, or throws naming the stuck ones. */
export async function waitForTerminal(bffUrl: string, payments: Accepted[], timeoutMs: number): Promise<Map<string, PaymentSnapshot>> {
  const done = new Map<string, PaymentSnapshot>();
  /** The status each payment's snapshot last showed, or "none": what a stuck payment is stuck at. */
  const lastSeen = new Map<string, string>();
  const deadline = Date.now() + timeoutMs;
  while (done.size < payments.length) {
    const pending = payments.filter((p) => !done.has(p.paymentId));
    for (let i = 0; i < pending.length; i += 50) {
      const batch = pending.slice(i, i + 50);
      const snapshots = await Promise.all(batch.map((p) => snapshot(bffUrl, p)));
      snapshots.forEach((s, j) => {
        lastSeen.set(batch[j]!.paymentId, s?.status ?? 'none');
        if (s && isTerminal(s.status)) done.set(batch[j]!.paymentId, s);
      });
    }
    if (done.size === payments.length) break;
    if (Date.now() > deadline) {
      const stuck = payments.filter((p) => !done.has(p.paymentId)).map((p) => `${p.paymentId} (${lastSeen.get(p.paymentId)})`);
      throw new Error(`${stuck.length} of ${payments.length} payments reached no terminal status: ${stuck.slice(0, 5).join(', ')}…`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return done;
}

/** Where each stand-in's ledger stood before a run: only entries after it belong to the run. */
export interface LedgerMark {
  billingGates: number;
  udi: number;
}

export async function ledgerMark(urls: { billingGates: string; udi: string }): Promise<LedgerMark> {
  const last = (entries: LedgerEntry[]) => entries.at(-1)?.seq ?? 0;
  return { billingGates: last(await ledger(urls.billingGates)), udi: last(await ledger(urls.udi)) };
}

export interface Counts extends Record<keyof Violations, number> {
  payments: number;
  confirmed: number;
  failed: number;
  refunded: number;
  charges: number;
  refunds: number;
  /** Payments whose outcome event was published more than once (at-least-once: harmless; counted). */
  duplicatedOutcomes?: number;
}

export interface CheckOptions {
  /** Count the ledger entries after this mark, also of payments not in `snapshots` (charged but never answered 202). */
  since?: LedgerMark;
  /** Read the outcome events back from Kafka, to find two different outcomes of one payment. */
  kafka?: { brokers: string[]; topics: Topics };
  /** The 202 answers with their Idempotency-Keys, to find a key answered with two payments. */
  answers?: KeyedAnswer[];
}

/**
 * The guarantees, read from the stand-ins' ledgers, the snapshots and (with `kafka`) the outcome
 * events: at most one charge per payment, every charge has a confirmed order or a refund and a
 * terminal status, never confirmed and refunded, no refund without a charge, no two different
 * outcomes, no Idempotency-Key answered with two payments (with `answers`), no charge for a
 * payment told "not charged" or whose key was voided, no confirm after a give-up, no refund of an
 * order Udi did not cancel first. `expectMoneySafe` turns the counts into assertions.
 */
export async function checkLedgers(
  urls: { billingGates: string; udi: string },
  snapshots: Map<string, PaymentSnapshot>,
  options: CheckOptions = {},
): Promise<Counts> {
  const ofRun = (mark: number | undefined) => (entries: LedgerEntry[]) => {
    // A stand-in restarted during the run starts its ledger again from 1.
    const after = mark === undefined || (entries.at(-1)?.seq ?? 0) < mark ? 0 : mark;
    return entries.filter((entry) => entry.paymentId !== null && (snapshots.has(entry.paymentId) || (mark !== undefined && entry.seq > after)));
  };
  const billing = ofRun(options.since?.billingGates)(await ledger(urls.billingGates));
  const udi = ofRun(options.since?.udi)(await ledger(urls.udi));
  const outcomes = options.kafka ? await readOutcomes(options.kafka, new Set([...snapshots.keys(), ...billing.map((e) => e.paymentId!)])) : undefined;
  const violations = findViolations({ billing, udi, snapshots, outcomes, answers: options.answers });
  const statuses = [...snapshots.values()].map((s) => s.status);
  return {
    payments: snapshots.size,
    confirmed: statuses.filter((s) => s === 'confirmed').length,
    failed: statuses.filter((s) => s === 'failed').length,
    refunded: statuses.filter((s) => s === 'refunded').length,
    charges: billing.filter((e) => e.kind === 'charge').length,
    refunds: billing.filter((e) => e.kind === 'refund').length,
    ...violationCounts(violations),
    ...(outcomes ? { duplicatedOutcomes: duplicatedOutcomes(outcomes) } : {}),
  };
}

/** Every money-safety rule of payment-invariants.ts: the compiler refuses a rule added there and left out here. */
const MONEY_SAFETY_RULES = [
  'duplicateCharges',
  'chargedWithoutOrderOrRefund',
  'confirmedAndRefunded',
  'refundWithoutCharge',
  'chargedWithoutTerminalStatus',
  'stuck',
  'statusWithoutEffect',
  'contradictoryOutcomes',
  'chargedAfterNotCharged',
  'voidedAndCharged',
  'paymentsForOneKey',
  'confirmedAfterGiveUp',
  'refundedWithoutCancel',
  'chargedAfterFailedChallenge',
] as const satisfies ReadonlyArray<keyof Violations>;
const everyRuleListed: Exclude<keyof Violations, (typeof MONEY_SAFETY_RULES)[number]> extends never ? true : never = true;

/** Every money-safety rule held. */
export function expectMoneySafe(counts: Counts): void {
  void everyRuleListed;
  const broken = Object.fromEntries(MONEY_SAFETY_RULES.map((rule) => [rule, counts[rule]]));
  expect(broken).toEqual(Object.fromEntries(Object.keys(broken).map((rule) => [rule, 0])));
}

/** The topics of the events that record a step's outcome. */
const OUTCOME_TOPICS = [...new Set(EVENT_TYPES.filter((type) => EVENTS[type].kind === 'outcome').map((type) => EVENT_TOPIC[type]))];
const ENDING_EVENTS = new Set<string>(TERMINAL_EVENTS);

/** The outcome events of `paymentIds`, read until each has a terminal one, and a moment more. */
async function readOutcomes(kafka: { brokers: string[]; topics: Topics }, paymentIds: Set<string>): Promise<OutcomeEvent[]> {
  const ofPayments = (records: Array<{ value: string | null }>) =>
    records.flatMap(({ value }) => {
      try {
        const event = JSON.parse(value ?? '') as { type?: unknown; paymentId?: unknown; data?: { reason?: { code?: unknown } } };
        const code = event.data?.reason?.code;
        return typeof event.type === 'string' && typeof event.paymentId === 'string' && paymentIds.has(event.paymentId)
          ? [{ type: event.type, paymentId: event.paymentId, reasonCode: typeof code === 'string' ? code : undefined }]
          : [];
      } catch {
        return []; // poison injected on purpose
      }
    });
  const records = await readRecords(
    kafka.brokers,
    OUTCOME_TOPICS.map((key) => kafka.topics[key]),
    {
      until: (read) =>
        new Set(
          ofPayments(read)
            .filter((e) => ENDING_EVENTS.has(e.type))
            .map((e) => e.paymentId),
        ).size >= paymentIds.size,
      timeoutMs: 60_000,
      settleMs: 1_000,
    },
  );
  return ofPayments(records);
}
