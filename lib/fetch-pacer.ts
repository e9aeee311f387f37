/**
 * Spaces the fetches that bring records at least `intervalMs` apart. kafkajs fetches again once
 * every batch of the last fetch is handed out, and a fetch answers at its first record, so a
 * consumer that never blocks on its records (lib/event-consumer.ts) fetched again at once and each
 * fetch brought one or two records: 0.6 to 0.9 fetches per payment per consumer at 100 payments/s,
 * each a wake-up and a round trip on both sides of the socket. Each batch waits here before it
 * returns: the first batch of a fetch starts the interval, the others of the same fetch wait for the
 * same end, and the next fetch gathers what arrived meanwhile. A consumer with nothing to read
 * waits in the broker (maxWaitTimeInMs) as before, so an idle one still fetches about once a second.
 */
export class FetchPacer {
  private until = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Resolves at the end of the interval that the fetch of this batch started, or at once when `signal` aborts. */
  pace(signal: AbortSignal): Promise<void> {
    const now = this.now();
    if (now >= this.until) this.until = now + this.intervalMs;
    const waitMs = this.until - now;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
