import type { PaymentEvent, PaymentSnapshot, PaymentStatusName } from '../../contracts/index.js';
import type { PaymentStore } from '../payments/payment-store.js';
import type { StoredSnapshot } from '../payments/stored-snapshot.js';
import { initialSnapshot, projectSnapshot } from './project-snapshot.js';

export interface StatusChange {
  /** The status the payment left. */
  from: PaymentStatusName;
  snapshot: PaymentSnapshot;
}

export interface Applied {
  /** The change the event made, or null if it changed nothing. */
  change: StatusChange | null;
  /** The snapshot stored once the event is applied (null: none), as Redis answered it to this call. */
  current: PaymentSnapshot | null;
}

/** The part of PaymentStore that applying an event uses. */
export type SnapshotStore = Pick<PaymentStore, 'recentlyStored' | 'stored' | 'replace'>;

/**
 * Applies an event to the stored snapshot with an optimistic compare-and-set, retrying when
 * another replica changed it in between.
 *
 * It projects from the snapshot this replica last wrote or read when it has one (usually the one
 * it stored at the 202, or for the previous event), so an event costs one round trip to Redis, not
 * a read and then a write. That copy may be out of date (another replica moved the payment on, or
 * Redis lost it): the compare-and-set then writes nothing and answers what is stored, and the
 * retry projects from that. For the same reason a copy on which the event changes nothing is
 * checked against Redis before the answer "nothing changed" is given.
 */
export async function applyEvent(store: SnapshotStore, event: PaymentEvent, signInLandingUrl: string): Promise<Applied> {
  const { paymentId } = event;
  const remembered = store.recentlyStored(paymentId);
  // What the projection starts from, and whether Redis answered it to this call.
  let from: StoredSnapshot | null = remembered ?? (await store.stored(paymentId));
  let fromRedis = remembered === undefined;
  for (;;) {
    const now = new Date();
    const current = from?.snapshot ?? initialSnapshot(paymentId, now);
    const next = projectSnapshot(current, event, { signInLandingUrl, now });
    if (next === null) {
      if (fromRedis) return { change: null, current: from?.snapshot ?? null };
      from = await store.stored(paymentId);
      fromRedis = true;
      continue;
    }
    const replaced = await store.replace(from, next);
    if (replaced.written) return { change: { from: current.status, snapshot: next }, current: next };
    from = replaced.current;
    fromRedis = true;
  }
}
