import type { Redis } from 'ioredis';
import { isTerminal, type PaymentEvent, type PaymentRequest, type PaymentSnapshot } from '../../contracts/index.js';
import type { Logger } from '../../lib/logger.js';
import { WriteBatcher } from '../../lib/write-batcher.js';
import type { StatusChange } from '../status/apply-event.js';
import type { HistoryKeys } from './history-keys.js';
import { defineRecordHistory, queueRecordHistory } from './record-history-script.js';
import { acceptedEntry, deadLetterEntry, eventEntry, statusEntry, type DeadLetterFacts, type IdentifiedEntry } from './timeline-entries.js';

export interface HistoryLimits {
  /** How long a payment's history is kept after its last entry (PAYMENT_HISTORY_TTL_SECONDS). */
  ttlSeconds: number;
  /** Entries kept per payment; default 100. */
  entriesPerPayment?: number;
  /** Payments listed per email; default 20. */
  paymentsPerEmail?: number;
}

/** What one batch holds for one payment. */
interface PaymentWrites {
  entries: IdentifiedEntry[];
  accepted?: { atMs: number; email: string };
  finished: boolean;
}

type Batch = Map<string, PaymentWrites>;

/**
 * How long an entry waits to be written with the others. Support reads a history seconds or days
 * later; every flush is a MULTI and a wake-up of the BFF and Redis, so 250 ms rather than 50.
 */
export const HISTORY_WRITE_DELAY_MS = 250;

/**
 * Each payment's timeline for support, written by the BFF as it accepts payments, reads their
 * events and sees their dead letters. Writes are batched: everything recorded within
 * HISTORY_WRITE_DELAY_MS is one MULTI, with one script call per payment in it, so the hot path pays
 * no Redis round trip of its own per event. Redeliveries are recorded once (by event id, status seq, dead-letter offset).
 * None of its methods throws: the history must never hold up a payment.
 */
export class PaymentHistory {
  private readonly batcher: WriteBatcher<Batch>;
  private readonly entriesPerPayment: number;
  private readonly paymentsPerEmail: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: HistoryKeys,
    private readonly limits: HistoryLimits,
    private readonly logger: Logger,
  ) {
    defineRecordHistory(redis);
    this.entriesPerPayment = limits.entriesPerPayment ?? 100;
    this.paymentsPerEmail = limits.paymentsPerEmail ?? 20;
    this.batcher = new WriteBatcher<Batch>(
      () => new Map(),
      (batch) => this.write(batch),
      HISTORY_WRITE_DELAY_MS,
    );
  }

  /** The payment was answered 202: its first entry, its email's index, and the unfinished set. */
  accepted(snapshot: PaymentSnapshot, request: PaymentRequest): Promise<void> {
    const atMs = Date.parse(snapshot.acceptedAt ?? snapshot.updatedAt);
    return this.record(snapshot.paymentId, (writes) => {
      writes.entries.push(acceptedEntry(snapshot, request));
      writes.accepted = { atMs, email: request.customer.email };
    });
  }

  /** The status consumer read `event`, and the snapshot changed as `change` says (null: not at all). */
  eventRead(event: PaymentEvent, change: StatusChange | null): Promise<void> {
    return this.record(event.paymentId, (writes) => {
      const entry = eventEntry(event);
      if (entry !== null) writes.entries.push(entry);
      // A snapshot can change without its status moving (a notice while a step is retried): that
      // is told by the event's own entry.
      if (change === null || change.from === change.snapshot.status) return;
      writes.entries.push(statusEntry(change.from, change.snapshot));
      if (isTerminal(change.snapshot.status)) writes.finished = true;
    });
  }

  /** The BFF published `event`, one it does not read back (ChargeActionSettled, from Billing Gates' webhook): its entry. */
  eventPublished(event: PaymentEvent): Promise<void> {
    return this.eventRead(event, null);
  }

  /** A record of the payment was sent to a dead-letter topic. */
  deadLettered(paymentId: string, facts: DeadLetterFacts): Promise<void> {
    return this.record(paymentId, (writes) => writes.entries.push(deadLetterEntry(facts)));
  }

  /** Writes what waits now, e.g. before the BFF stops. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  private record(paymentId: string, add: (writes: PaymentWrites) => void): Promise<void> {
    return this.batcher
      .add((batch) => {
        let writes = batch.get(paymentId);
        if (writes === undefined) batch.set(paymentId, (writes = { entries: [], finished: false }));
        add(writes);
      })
      .catch((err: unknown) => this.logger.warn({ err, paymentId }, 'payment history: entries not recorded'));
  }

  private async write(batch: Batch): Promise<void> {
    const { keys, limits } = this;
    const multi = this.redis.multi();
    for (const [paymentId, writes] of batch) {
      const scriptKeys = [
        keys.entries(paymentId),
        keys.seen(paymentId),
        keys.unfinished,
        ...(writes.accepted === undefined ? [] : [keys.email(writes.accepted.email)]),
      ];
      const pairs = writes.entries.flatMap(({ id, entry }) => [id, JSON.stringify(entry)]);
      queueRecordHistory(multi, scriptKeys, [
        paymentId,
        limits.ttlSeconds,
        this.entriesPerPayment,
        this.paymentsPerEmail,
        writes.accepted?.atMs ?? '',
        writes.finished ? '1' : '',
        ...pairs,
      ]);
    }
    // Payments never seen to finish (their outcome lost with a replica, say) leave the set with their history.
    if ([...batch.values()].some((writes) => writes.accepted !== undefined))
      multi.zremrangebyscore(keys.unfinished, '-inf', Date.now() - limits.ttlSeconds * 1000);
    const results = await multi.exec();
    const failed = results?.find(([err]) => err !== null)?.[0];
    if (results === null || failed) throw failed ?? new Error('the history MULTI was discarded');
  }
}
