/**
 * Runs records side by side, except that records with the same key run one after the other, in
 * the order they were started; and bounds how many are in flight at once.
 */
export class RecordScheduler {
  private readonly inFlight = new Set<Promise<void>>();
  /** The last record started per key, so the next one with that key waits for it. */
  private readonly tails = new Map<string, Promise<void>>();
  private waiters: Array<() => void> = [];

  constructor(private readonly maxInFlight: number) {}

  get full(): boolean {
    return this.inFlight.size >= this.maxInFlight;
  }

  /** Waits for a slot under way (for tests and metrics). */
  get waitingForSlot(): number {
    return this.waiters.length;
  }

  /** Runs `task` once the record started before it with the same key has settled; `task` must not reject. */
  run(key: string, task: () => Promise<void>): void {
    const run = (this.tails.get(key) ?? Promise.resolve()).then(task).finally(() => {
      this.inFlight.delete(run);
      if (this.tails.get(key) === run) this.tails.delete(key);
      this.wake();
    });
    this.tails.set(key, run);
    this.inFlight.add(run);
  }

  /**
   * Resolves when a record settles, or after `timeoutMs`, whichever is first. A wait that times
   * out takes itself off the list: while every slot is held by records retrying through a long
   * outage, the consumer waits again every few seconds, and each wait used to stay listed.
   */
  waitForSlot(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== wake);
        resolve();
      }, timeoutMs);
      this.waiters.push(wake);
    });
  }

  /** Wakes whoever waits for a slot, e.g. because the consumer stops. */
  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once every record in flight now has settled. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
