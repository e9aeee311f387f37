/**
 * Gathers writes for a short while and does them together: each caller's change is added to the
 * batch that is open, the batch is written at most `delayMs` after its first change, and every
 * caller's promise settles with that one write. A hot path then pays one round trip per batch,
 * not one per change.
 */
export class WriteBatcher<B> {
  private pending: { batch: B; waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }>; timer: NodeJS.Timeout } | undefined;

  constructor(
    private readonly emptyBatch: () => B,
    private readonly write: (batch: B) => Promise<void>,
    /** How long the first change of a batch waits for others; default 50 ms. */
    private readonly delayMs = 50,
  ) {}

  /** Adds a change to the open batch; resolves once it is written, rejects if that write fails. */
  add(change: (batch: B) => void): Promise<void> {
    this.pending ??= { batch: this.emptyBatch(), waiters: [], timer: setTimeout(() => void this.flush(), this.delayMs) };
    const pending = this.pending;
    change(pending.batch);
    return new Promise((resolve, reject) => pending.waiters.push({ resolve, reject }));
  }

  /** Writes the open batch now, at once. */
  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    try {
      await this.write(pending.batch);
      for (const waiter of pending.waiters) waiter.resolve();
    } catch (err) {
      for (const waiter of pending.waiters) waiter.reject(err);
    }
  }
}
