import type { PaymentEvent } from '../../contracts/index.js';
import { isPermanent } from '../../contracts/payflow-error.js';
import { PermanentError } from '../../lib/downstream-error.js';
import type { RecordSighting } from '../../lib/partition-handover.js';
import type { DelayTracker } from './delay-tracker.js';
import { TransientDownstreamError } from './downstream-client.js';

/** Why a step stops trying: the downstream refused for good, or kept failing past the budget. */
export type GiveUpCause = { kind: 'permanent'; error: PermanentError } | { kind: 'deadline'; error?: TransientDownstreamError };

export interface StepAttempt<T> {
  /** The step's downstream work. */
  attempt: () => Promise<T>;
  /** The outcome once the step stops trying. It may throw a transient error to be retried in turn (e.g. a lookup). */
  giveUp: (cause: GiveUpCause) => Promise<T>;
  /**
   * The outcome when giving up is itself refused for good (`giveUp` throws a PermanentError: a
   * lookup answered with a 4xx, a re-confirmation refused) past the settle window: a terminal
   * outcome that says what is not known, and an operator alert naming the payment. Without it,
   * such a refusal is dead-lettered. Until the window ends the refusal is asked again, as a
   * transient failure: a refusal may be momentary.
   */
  unresolved?: (error: PermanentError) => Promise<T>;
}

/** One delivery of a step's record, as the consumer hands it over. */
export interface StepRecord {
  /** Aborted when the consumer stops or loses the record's partition: give up, it will be redelivered. */
  signal?: AbortSignal | undefined;
  /** How long the consumer group has seen the record, and whether this worker is the first that could have handled it. */
  seen: RecordSighting;
}

export interface StepBudgetOptions {
  /** Told of every transient failure and of the step's end, to tell the shopper when it drags on. */
  delays?: DelayTracker | undefined;
  /**
   * How long past the deadline a give-up that is refused for good is asked again before the step
   * ends `unresolved`; default the deadline itself, so a step ends within twice its deadline.
   */
  settleMs?: number;
}

/** A give-up refused for good, asked again until the settle window ends. */
export class GiveUpRefusedError extends TransientDownstreamError {
  constructor(readonly refusal: PermanentError) {
    super('downstream', `giving up was refused (${refusal.code}: ${refusal.message}); asked again until the step's settle window ends`, { effect: 'none' });
  }
}

type StepEvent = Pick<PaymentEvent, 'eventId' | 'paymentId' | 'correlationId'>;

/**
 * How long one step may keep failing transiently, counted from when the worker group first saw
 * the record (`record.seen`): by this process, or by the member that had its partition before, as
 * long ago as that member committed with the offset (lib/record-ages.ts), so a restart or a
 * rebalance does not reset it. No clock but this process' own is read: the event's `occurredAt`,
 * stamped on another machine, is not compared with it, so a worker whose clock is off by minutes
 * keeps the same budget. Time the record spent in Kafka before the group first fetched it is not
 * counted, nor the time between the last commit of its age and the next member's fetch (a crash:
 * at most the session timeout and the ages' refresh, plus however long the group was down); both
 * make a budget longer, never shorter. Each try of a record runs through `run`:
 * - a PermanentError goes to `giveUp` at once: it must become an outcome, never a dead letter;
 * - a transient failure is passed on (the consumer retries the record with backoff, or after the
 *   Retry-After the downstream asked for, but not past the budget) until the budget is spent,
 *   then goes to `giveUp`;
 * - past the budget, a record this process has already tried goes to `giveUp` without another
 *   attempt, but every record gets one try first, so a worker that was down does not give up its
 *   backlog unseen;
 * - nothing is given up while the consumer is stopping (`signal` aborted): the record is redelivered.
 * - a give-up refused for good (a PermanentError from `giveUp`) is asked again until `settleMs`
 *   past the deadline, then ends through `unresolved`, if the step has one; otherwise it is
 *   dead-lettered, as before.
 * Every transient failure of a try, the lookup past the budget included, is told to `delays`, and
 * so is the step's end.
 */
export class StepBudget {
  /** Events tried at least once in this process and not finished yet, by eventId. */
  readonly #tried = new Set<string>();

  private readonly delays: DelayTracker | undefined;
  readonly settleMs: number;

  constructor(
    readonly deadlineMs: number,
    options: StepBudgetOptions = {},
  ) {
    this.delays = options.delays;
    this.settleMs = options.settleMs ?? deadlineMs;
  }

  pastDeadline(record: StepRecord): boolean {
    return this.msLeft(record) < 0;
  }

  private msLeft(record: StepRecord): number {
    return this.deadlineMs - record.seen.ageMs();
  }

  async run<T>(event: StepEvent, record: StepRecord, step: StepAttempt<T>): Promise<T> {
    const triedBefore = this.#tried.has(event.eventId);
    this.#tried.add(event.eventId);
    const { signal } = record;
    let outcome: T;
    try {
      outcome = triedBefore && this.pastDeadline(record) ? await this.giveUp(record, step, { kind: 'deadline' }) : await this.tryOnce(record, step);
    } catch (err) {
      // A try cancelled by a stop or a rebalance says nothing about the downstream.
      if (err instanceof TransientDownstreamError && signal?.aborted !== true) this.delays?.failed(event, err, record.seen);
      // A permanent failure from giving up ends the step too: the consumer dead-letters its record.
      if (isPermanent(err)) this.end(event);
      throw err;
    }
    this.end(event);
    return outcome;
  }

  private end(event: StepEvent): void {
    this.#tried.delete(event.eventId);
    this.delays?.ended(event);
  }

  private async giveUp<T>(record: StepRecord, step: StepAttempt<T>, cause: GiveUpCause): Promise<T> {
    try {
      return await step.giveUp(cause);
    } catch (err) {
      if (!(err instanceof PermanentError) || step.unresolved === undefined) throw err;
      if (this.msLeft(record) < -this.settleMs) return step.unresolved(err);
      throw new GiveUpRefusedError(err);
    }
  }

  private async tryOnce<T>(record: StepRecord, step: StepAttempt<T>): Promise<T> {
    try {
      return await step.attempt();
    } catch (err) {
      if (record.signal?.aborted === true) throw err;
      if (err instanceof PermanentError) return this.giveUp(record, step, { kind: 'permanent', error: err });
      if (!(err instanceof TransientDownstreamError)) throw err;
      if (this.pastDeadline(record)) return this.giveUp(record, step, { kind: 'deadline', error: err });
      // A Retry-After reaching past the budget would only put off giving up.
      throw err.waitingAtMost(this.msLeft(record));
    }
  }
}
