import type { Logger } from '../../lib/logger.js';
import type { PaymentStore } from '../payments/payment-store.js';
import { pushSnapshot, type PaymentSocketServer } from '../realtime/socket-server.js';

/** How long a push is remembered while the primary is trusted, ms. */
const KEEP_MS = 60_000;
/** At most this many payments are remembered; the oldest go first. */
const MAX_PAYMENTS = 100_000;
/** How long before the primary was doubted a push may have been lost with it, ms: its WAIT's command timeout and then some. */
export const LOST_BEFORE_DOUBT_MS = 5_000;

/**
 * The payments this replica pushed lately, and when. A push goes to the other replicas' pages
 * through the Socket.IO adapter's Redis stream, whose appends no replica confirms: the ones a
 * failed-over primary took last are gone with it. This remembers enough to push them again.
 */
export class RecentPushes {
  /** paymentId → when it was last pushed (performance.now()); kept in that order. */
  private readonly pushedAt = new Map<string, number>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  pushed(paymentId: string): void {
    const at = this.now();
    this.pushedAt.delete(paymentId);
    this.pushedAt.set(paymentId, at);
    for (const [oldest, when] of this.pushedAt) {
      if (when >= at - KEEP_MS && this.pushedAt.size <= MAX_PAYMENTS) break;
      this.pushedAt.delete(oldest);
    }
  }

  /** The payments pushed at or after `since`, oldest first. */
  since(since: number): string[] {
    return [...this.pushedAt].filter(([, when]) => when >= since).map(([paymentId]) => paymentId);
  }
}

/**
 * Pushes again, as Redis holds them now, the snapshots of the payments pushed from LOST_BEFORE_DOUBT_MS
 * before `doubtedSince` on: what the failed-over primary dropped of the stream. A page drops a
 * snapshot whose seq it has, so a push that was not lost changes nothing.
 */
export async function pushAgainAfterFailover(
  deps: { pushes: RecentPushes; payments: PaymentStore; io: PaymentSocketServer; logger: Logger },
  doubtedSince: number,
): Promise<void> {
  const paymentIds = deps.pushes.since(doubtedSince - LOST_BEFORE_DOUBT_MS);
  let pushed = 0;
  for (let i = 0; i < paymentIds.length; i += 100) {
    const snapshots = await Promise.all(
      paymentIds.slice(i, i + 100).map((paymentId) =>
        deps.payments.snapshot(paymentId).catch((err: unknown) => {
          deps.logger.warn({ err, paymentId }, 'after a Redis failover: snapshot not read; not pushed again');
          return null;
        }),
      ),
    );
    for (const snapshot of snapshots) {
      if (snapshot === null) continue;
      pushSnapshot(deps.io, snapshot);
      pushed += 1;
    }
  }
  deps.logger.info({ pushed, remembered: paymentIds.length }, 'after a Redis failover: the latest pushes pushed again');
}
