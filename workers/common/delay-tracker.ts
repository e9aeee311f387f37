import { newEvent, type DelayedStep, type PaymentDelayed, type PaymentEvent } from '../../contracts/index.js';
import type { RecordSighting } from '../../lib/partition-handover.js';
import type { TransientDownstreamError } from './downstream-client.js';
import { delayWords } from './delay-words.js';

export interface DelayTrackerOptions {
  step: DelayedStep;
  /** How long a step may keep failing before the shopper is told, and how often the notice is repeated while it still fails (DELAY_NOTICE_AFTER_MS). */
  afterMs: number;
  /** Sends a notice; must not throw (a notice is never worth failing the step for). */
  publish: (notice: PaymentDelayed) => void;
  /** The wall clock, ms since the epoch: it stamps the notices, and times the waits between them. Default Date.now. */
  now?: () => number;
}

interface Failing {
  /** First failure of the step in this process, ms. */
  since: number;
  attempts: number;
  lastError: { code: string; message: string };
  /** Some try so far, here or by a worker before this one, may have been carried out downstream (a timeout, an unreadable 2xx). */
  mayHaveTakenEffect: boolean;
  lastFailureAt: number;
  noticedAt?: number;
}

type StepEvent = Pick<PaymentEvent, 'eventId' | 'paymentId' | 'correlationId'>;

/** PaymentDelayed's limits on the error it carries. */
const MAX_CODE = 100;
const MAX_MESSAGE = 500;

/**
 * Tracks, per event of one step, how long the step has kept failing transiently, and publishes
 * PaymentDelayed once that passes `afterMs`, then again every `afterMs` while it still fails.
 * Notices go out on failures, so they are as late as the retry's backoff at most (10 s; a
 * Retry-After up to 30 s). What is kept is forgotten when the step ends (`ended`); an event whose
 * record went to another member without ending here is dropped once it has not failed for a
 * while, so nothing grows over a long outage or many rebalances.
 */
export class DelayTracker {
  readonly #failing = new Map<string, Failing>();
  readonly #now: () => number;
  readonly #forgetAfterMs: number;
  #sweptAt: number;

  constructor(private readonly options: DelayTrackerOptions) {
    this.#now = options.now ?? Date.now;
    // Well beyond the longest wait between two tries of one record.
    this.#forgetAfterMs = Math.max(10 * options.afterMs, 300_000);
    this.#sweptAt = this.#now();
  }

  /** Events whose step is failing now. */
  get size(): number {
    return this.#failing.size;
  }

  /**
   * One more try of the event's step failed transiently. A record that `seen` says another worker
   * may have handled before (it was in its partition before this worker was handed it, or it is a
   * replayed dead letter) may have been charged by a try that timed out there: this worker cannot
   * vouch that nothing was, however its own tries failed. Nothing here compares clocks.
   */
  failed(event: StepEvent, error: TransientDownstreamError, seen: Pick<RecordSighting, 'firstHere'>): void {
    const now = this.#now();
    this.sweep(now);
    const lastError = { code: error.code.slice(0, MAX_CODE), message: error.message.slice(0, MAX_MESSAGE) };
    const known = this.#failing.get(event.eventId);
    const mayHaveTakenEffect = (known?.mayHaveTakenEffect ?? false) || error.effect === 'unknown' || !seen.firstHere;
    const failing: Failing =
      known === undefined
        ? { since: now, attempts: 1, lastError, mayHaveTakenEffect, lastFailureAt: now }
        : { ...known, attempts: known.attempts + 1, lastError, mayHaveTakenEffect, lastFailureAt: now };
    const due = now - failing.since >= this.options.afterMs && (failing.noticedAt === undefined || now - failing.noticedAt >= this.options.afterMs);
    if (due) failing.noticedAt = now;
    this.#failing.set(event.eventId, failing);
    if (due) this.options.publish(this.notice(event, failing, now));
  }

  /** The step ended (an outcome, or given up for good): nothing more to tell. */
  ended(event: { eventId: string }): void {
    this.#failing.delete(event.eventId);
  }

  private notice(event: StepEvent, failing: Failing, now: number): PaymentDelayed {
    const { step } = this.options;
    return newEvent(
      {
        type: 'PaymentDelayed',
        paymentId: event.paymentId,
        correlationId: event.correlationId,
        data: {
          step,
          since: new Date(failing.since).toISOString(),
          attempts: failing.attempts,
          lastError: failing.lastError,
          notice: delayWords(step, { mayHaveTakenEffect: failing.mayHaveTakenEffect }),
        },
      },
      new Date(now),
    );
  }

  private sweep(now: number): void {
    if (now - this.#sweptAt < this.#forgetAfterMs) return;
    this.#sweptAt = now;
    for (const [eventId, failing] of this.#failing) {
      if (now - failing.lastFailureAt >= this.#forgetAfterMs) this.#failing.delete(eventId);
    }
  }
}
