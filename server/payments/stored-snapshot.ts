import { PaymentSnapshot } from '../../contracts/index.js';
import { PermanentError } from '../../lib/downstream-error.js';

/** A snapshot as Redis holds it: parsed, and its exact text, which PaymentStore.replace compares. */
export interface StoredSnapshot {
  snapshot: PaymentSnapshot;
  text: string;
}

/**
 * Reads a snapshot as stored in Redis. One that cannot be read will not become readable on a
 * retry, so it is a permanent failure: the status consumer dead-letters the event that met it
 * (and the live view lists it) instead of retrying forever and holding its partition.
 */
export function parseStoredSnapshot(paymentId: string, key: string, raw: string): PaymentSnapshot {
  let parsed: ReturnType<typeof PaymentSnapshot.safeParse>;
  try {
    parsed = PaymentSnapshot.safeParse(JSON.parse(raw));
  } catch {
    throw unreadable(paymentId, key, 'it is not JSON');
  }
  if (!parsed.success) throw unreadable(paymentId, key, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  return parsed.data;
}

function unreadable(paymentId: string, key: string, why: string): PermanentError {
  return new PermanentError(
    'SNAPSHOT_UNREADABLE',
    `The stored status of payment ${paymentId} cannot be read (${why.slice(0, 200)}); its status is no longer updated. Inspect or delete the key ${key} in Redis.`,
  );
}
