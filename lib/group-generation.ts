import { setMaxListeners } from 'node:events';

/**
 * One assignment of partitions to this member, from one join of the group to the next. kafkajs
 * starts every join afresh from the committed offsets, also for the partitions the member keeps,
 * so every record fetched in an earlier generation is fetched again by whoever owns its partition
 * now: a record must only publish its outcome while the generation it was fetched in is current.
 */
export class Generation {
  private readonly superseded = new AbortController();
  private readonly cancelled = new AbortController();

  /** `recordsInFlight`: each record holds at most one listener on each signal while it runs. */
  constructor(recordsInFlight: number) {
    allowListeners(recordsInFlight, this.superseded.signal, this.cancelled.signal);
  }

  /** Aborted once a later join replaced this generation: stop retrying, publish nothing. */
  get supersededSignal(): AbortSignal {
    return this.superseded.signal;
  }

  /** The handlers' signal: aborted when superseded, or when the consumer stops and the record did not finish in time. */
  get handlerSignal(): AbortSignal {
    return this.cancelled.signal;
  }

  get isSuperseded(): boolean {
    return this.superseded.signal.aborted;
  }

  supersede(): void {
    this.superseded.abort();
    this.cancelled.abort();
  }

  cancel(): void {
    this.cancelled.abort();
  }
}

/** The member's current generation; each join of the group supersedes the one before. */
export class GroupGenerations {
  private generation: Generation;

  constructor(private readonly recordsInFlight: number) {
    this.generation = new Generation(recordsInFlight);
  }

  get current(): Generation {
    return this.generation;
  }

  joined(): void {
    const previous = this.generation;
    this.generation = new Generation(this.recordsInFlight);
    previous.supersede();
  }
}

/**
 * Node warns past 10 listeners on one signal, a leak detector for listeners nobody removes. A
 * signal shared by every record in flight legitimately holds one per record (a retry's sleep, an
 * attempt's linked signal), all removed when the record moves on: the limit is set to that many,
 * so the warning still means a leak (test/integration/long-outage.int.test.ts).
 */
export function allowListeners(recordsInFlight: number, ...signals: AbortSignal[]): void {
  setMaxListeners(recordsInFlight + LISTENER_MARGIN, ...signals);
}

/** Listeners on a shared signal beyond the records' own (a drain wait, a fence). */
const LISTENER_MARGIN = 10;
