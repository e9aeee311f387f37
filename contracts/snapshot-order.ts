import { perStatus, STATUSES } from './lifecycle.js';
import type { PaymentSnapshot, PaymentStatusName } from './payment-status.js';

/**
 * How far along the flow each status is (its rank in lifecycle.ts). Statuses only move forward (each move the projection
 * allows goes to a higher rank), so the status decides which of two snapshots is newer, and `seq`
 * only orders snapshots of the same status: a snapshot that Redis lost (eviction, a restart
 * without AOF, a failover) is started again from nothing by the payment's next event, with `seq`
 * counted from 0 again, so a page that compared `seq` alone would drop "confirmed" at seq 1 while
 * showing "paid" at seq 1, and wait for ever.
 */
export const STATUS_RANK: Readonly<Record<PaymentStatusName, number>> = perStatus((status) => STATUSES[status].rank);

type Ordered = Pick<PaymentSnapshot, 'status' | 'seq'>;

/**
 * Whether `candidate` should replace `shown` (nothing shown yet: undefined): a later status, or the
 * same status with a higher `seq` (a newer notice). A repeat, or anything older, is dropped, so
 * what a client shows never moves backwards.
 */
export function isNewerSnapshot(candidate: Ordered, shown: Ordered | undefined): boolean {
  if (shown === undefined) return true;
  const byStatus = STATUS_RANK[candidate.status] - STATUS_RANK[shown.status];
  return byStatus > 0 || (byStatus === 0 && candidate.seq > shown.seq);
}
