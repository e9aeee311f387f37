/**
 * The one decision to stop, whoever makes it first (Ctrl-C, a crashed child, a failed start),
 * readable at once (`requested`) or awaited (`promise`).
 */
export class StopLatch {
  requested: { code: number } | undefined;
  readonly promise: Promise<{ code: number }>;
  private resolve!: (request: { code: number }) => void;

  constructor() {
    this.promise = new Promise((resolve) => (this.resolve = resolve));
  }

  /** The first request wins; its exit code is the one the launcher exits with. */
  request(code: number): void {
    if (this.requested) return;
    this.requested = { code };
    this.resolve(this.requested);
  }
}
