import type { Consumer } from 'kafkajs';
import type { Logger } from './logger.js';
import { PartitionProgress } from './partition-progress.js';
import { encodeRecordAges } from './record-ages.js';
import { StaleMemberError } from './stale-member-error.js';

/**
 * How long finished records wait for their offsets to be committed together. A crash redelivers
 * what finished within it, which every step ignores (each is idempotent by paymentId); every 100
 * ms, it was a tenth of each consumer's Kafka requests at 100 payments/s.
 */
const COMMIT_INTERVAL_MS = 1_000;

/**
 * How often the ages of unfinished records are committed again while their partition's commit
 * point stands still (a downstream outage). The member the partition goes to next counts their
 * budgets on from the ages last committed: at most this much of a budget (plus the time until the
 * partition is handed over) goes uncounted, a second of budgets counted in minutes; one small
 * request per second per member while anything is unfinished.
 */
export const AGES_REFRESH_MS = 1_000;

/**
 * How long an accepted commit vouches for this member's generation. In the classic group protocol
 * an accepted commit restarts the member's session as a heartbeat does (Kafka's
 * OffsetMetadataManager.commitOffset), so the coordinator cannot hand the member's partitions to
 * another member sooner than the session timeout (10 s) after it, unless this member joins the
 * group again first, which it learns of (a rebalancing or join event) before it can happen: the
 * lease ends then too. One second stays far inside the session timeout, so an outcome published
 * on the lease reaches Kafka long before the partition could have moved on.
 */
export const MEMBERSHIP_LEASE_MS = 1_000;

/** The requests a member sends when it (re)joins or leaves its group: a lease taken before them no longer holds. */
const MEMBERSHIP_REQUESTS = new Set(['JoinGroup', 'SyncGroup', 'LeaveGroup']);

/**
 * The group coordinator's answers that mean this member is no longer in the group's current
 * generation: its partitions belong to someone else (or will after the rebalance under way), and
 * kafkajs will fetch the partitions it gets afresh from the committed offsets.
 */
const STALE_MEMBER_ERRORS = new Set(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS', 'FENCED_INSTANCE_ID']);

interface Entry {
  topic: string;
  partition: number;
  progress: PartitionProgress;
  /** When the ages of its unfinished records were last committed (sent), on `now`'s clock. */
  agesSentAt?: number;
}

export interface OffsetCommitterOptions {
  /** How long an accepted commit confirms membership for later calls; 0 asks the coordinator every time. Default MEMBERSHIP_LEASE_MS. */
  leaseMs?: number;
  /** A monotonic clock, ms: the one the records' first sight (PartitionProgress.start) is read from. */
  now?: () => number;
}

export interface FlushOptions {
  /** 'now': commit the ages of every partition with unfinished records, however recently they were (on stop). Default: only those older than AGES_REFRESH_MS. */
  ages?: 'now' | 'when-due';
}

interface ConfirmWaiter {
  key: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Commits the finished prefix of every partition, at most every COMMIT_INTERVAL_MS, one commit at
 * a time; and confirms, on request, that this member is still in the group's current generation.
 * Each commit carries, as the offset's metadata, how long the group has seen the partition's
 * unfinished records (lib/record-ages.ts), committed again every AGES_REFRESH_MS while they stay
 * unfinished, so that their step budgets go on where they were when the partition changes hands.
 *
 * The confirmation is an offset commit: kafkajs sends it with the member's id and generation, and
 * the coordinator refuses it (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS) once
 * the member was removed, e.g. after a pause longer than the session timeout. A commit the
 * coordinator accepted confirms membership for the lease that follows its sending
 * (MEMBERSHIP_LEASE_MS), until the member rebalances, joins, leaves, stops or crashes; past it,
 * the requests that arrive while a commit is in flight share the next one, so many records in
 * flight cost one request per round trip, and that request also carries the finished offsets.
 */
export class OffsetCommitter {
  private partitions = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private agesTimer: NodeJS.Timeout | undefined;
  private committing: Promise<void> | undefined;
  private waiters: ConfirmWaiter[] = [];
  /** Commits the coordinator accepted; kafkajs resolves commitOffsets without a request when its runner is not running. */
  private accepted = 0;
  /** When the last commit the coordinator accepted was sent, while its lease holds. */
  private confirmedAt: number | undefined;
  /** Counts the ends of leases, so that a commit straddling one does not start a new lease. */
  private leaseEnds = 0;
  private readonly leaseMs: number;
  private readonly now: () => number;

  constructor(
    private readonly consumer: Consumer,
    private readonly logger: Logger,
    { leaseMs = MEMBERSHIP_LEASE_MS, now = () => performance.now() }: OffsetCommitterOptions = {},
  ) {
    this.leaseMs = leaseMs;
    this.now = now;
    const { events } = consumer;
    consumer.on(events.COMMIT_OFFSETS, () => this.accepted++);
    const endLease = () => this.endLease();
    for (const event of [events.REBALANCING, events.GROUP_JOIN, events.STOP, events.CRASH, events.DISCONNECT]) consumer.on(event, endLease);
    consumer.on(events.REQUEST, ({ payload }) => {
      if (MEMBERSHIP_REQUESTS.has(payload.apiName)) endLease();
    });
  }

  partition(topic: string, partition: number): PartitionProgress {
    const key = `${topic}|${partition}`;
    let entry = this.partitions.get(key);
    if (entry === undefined) {
      entry = { topic, partition, progress: new PartitionProgress() };
      this.partitions.set(key, entry);
    }
    return entry.progress;
  }

  /** After a rebalance the group resumes from the committed offsets: progress kept for the old assignment must not be committed any more. */
  reset(): void {
    this.partitions = new Map();
    this.endLease();
  }

  private endLease(): void {
    this.confirmedAt = undefined;
    this.leaseEnds++;
  }

  schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, COMMIT_INTERVAL_MS);
  }

  /** Commits the ages of the unfinished records every AGES_REFRESH_MS while there are any; call it when a record starts. */
  keepAgesCommitted(): void {
    this.agesTimer ??= setTimeout(() => {
      this.agesTimer = undefined;
      void this.flush().finally(() => {
        if ([...this.partitions.values()].some((entry) => entry.progress.hasUnfinished())) this.keepAgesCommitted();
      });
    }, AGES_REFRESH_MS).unref();
  }

  /** Stops the timers; what is not flushed by now is not committed. */
  close(): void {
    clearTimeout(this.timer);
    clearTimeout(this.agesTimer);
    this.timer = undefined;
    this.agesTimer = undefined;
  }

  /**
   * Resolves at once while the lease of an accepted commit holds (and the partition is tracked);
   * otherwise once the coordinator has accepted a commit from this member sent after this call;
   * rejects with a StaleMemberError when it refused it because the member left the generation,
   * or with the commit's error when the coordinator could not be asked (worth retrying).
   */
  confirmMembership(topic: string, partition: number): Promise<void> {
    const key = `${topic}|${partition}`;
    if (this.confirmedAt !== undefined && this.now() - this.confirmedAt < this.leaseMs && this.isTracked(key)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ key, resolve, reject });
      void this.flush();
    });
  }

  /** Commits what has finished by now, and answers the confirmations asked for; waits for a commit already under way first. */
  async flush({ ages = 'when-due' }: FlushOptions = {}): Promise<void> {
    while (this.committing) await this.committing;
    const asked = this.waiters;
    this.waiters = [];
    for (const waiter of asked.filter((w) => !this.isTracked(w.key))) {
      waiter.reject(new StaleMemberError('its partition is no longer tracked: the group has rebalanced since the record was fetched'));
    }
    const waiters = asked.filter((w) => this.isTracked(w.key));
    const sentAt = this.now();
    const due = this.due(new Set(waiters.map((waiter) => waiter.key)), ages === 'now' ? sentAt : sentAt - AGES_REFRESH_MS);
    if (due.length === 0) return;
    const acceptedBefore = this.accepted;
    const leaseEndsBefore = this.leaseEnds;
    this.committing = this.consumer
      .commitOffsets(
        due.map(({ entry: { topic, partition, progress }, point }) => ({
          topic,
          partition,
          offset: String(point),
          metadata: encodeRecordAges(progress.unfinished(), sentAt),
        })),
      )
      .then(
        () => {
          if (this.accepted === acceptedBefore) {
            for (const waiter of waiters) waiter.reject(new StaleMemberError('the consumer is not running (stopping, or restarting after a crash)'));
            return;
          }
          for (const { entry, point } of due) {
            entry.progress.committedAt(point);
            entry.agesSentAt = sentAt;
          }
          if (this.leaseEnds === leaseEndsBefore) this.confirmedAt = sentAt;
          for (const waiter of waiters) waiter.resolve();
        },
        (err: unknown) => {
          this.endLease();
          const refusal = staleMemberType(err);
          const failure = refusal === undefined ? err : new StaleMemberError(`the group coordinator refused its offset commit (${refusal})`, { cause: err });
          for (const waiter of waiters) waiter.reject(failure);
          // Not lost: the records are redelivered to whoever owns the partition next, or committed with the next flush.
          this.logger.warn({ err }, 'offset commit failed; will try again');
          this.schedule();
        },
      )
      .finally(() => (this.committing = undefined));
    await this.committing;
  }

  /** Whether the partition has records of the current assignment: after a rebalance it has none until one is fetched again. */
  private isTracked(key: string): boolean {
    return this.partitions.get(key)?.progress.position() !== undefined;
  }

  /**
   * The partitions to commit: those that moved, and at their position (committing the same offset
   * again is harmless) those in `confirming` and those with unfinished records whose ages were
   * last sent before `agesSentBefore`.
   */
  private due(confirming: Set<string>, agesSentBefore: number): Array<{ entry: Entry; point: number }> {
    return [...this.partitions].flatMap(([key, entry]) => {
      const { progress } = entry;
      const agesDue = progress.hasUnfinished() && (entry.agesSentAt ?? Number.NEGATIVE_INFINITY) <= agesSentBefore;
      const point = confirming.has(key) || agesDue ? progress.position() : progress.commitPoint();
      return point === undefined ? [] : [{ entry, point }];
    });
  }
}

/** The coordinator's error type when `err` (or an error it wraps) says this member is stale. */
function staleMemberType(err: unknown): string | undefined {
  for (let cause = err; cause instanceof Error; cause = cause.cause) {
    const type = (cause as { type?: unknown }).type;
    if (typeof type === 'string' && STALE_MEMBER_ERRORS.has(type)) return type;
  }
  return undefined;
}
