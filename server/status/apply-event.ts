import type { PaymentEvent, PaymentSnapshot, PaymentStatusName } from '../../contracts/index.js';
import type { PaymentStore } from '../payments/payment-store.js';
import { initialSnapshot, projectSnapshot } from './project-snapshot.js';

export interface StatusChange {
  /** The status the payment left. */
  from: PaymentStatusName;
  snapshot: PaymentSnapshot;
}

/**
 * Applies an event to the stored snapshot with an optimistic compare-and-set, retrying when
 * another replica changed it in between. Returns the change, or null if nothing changed.
 */
export async function applyEvent(
  store: PaymentStore,
  event: PaymentEvent,
  signInLandingUrl: string,
): Promise<StatusChange | null> {
  for (;;) {
    const stored = await store.snapshot(event.paymentId);
    const now = new Date();
    const current = stored ?? initialSnapshot(event.paymentId, now);
    const next = projectSnapshot(current, event, { signInLandingUrl, now });
    if (next === null) return null;
    if (await store.compareAndSet(next, stored === null ? -1 : stored.seq)) return { from: current.status, snapshot: next };
  }
}
