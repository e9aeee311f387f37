import type { PaymentSnapshot } from '../../contracts/index.js';
import { secretMatches } from './client-secret.js';
import type { PaymentStore } from './payment-store.js';

/**
 * The snapshot of a payment, for the holder of its client secret only. An unknown payment and a
 * wrong secret give the same answer (null), so the endpoint is no oracle for payment ids.
 */
export async function readPayment(store: PaymentStore, paymentId: string, clientSecret: string | undefined): Promise<PaymentSnapshot | null> {
  if (clientSecret === undefined) return null;
  const storedHash = await store.secretHash(paymentId);
  if (storedHash === null || !secretMatches(clientSecret, storedHash)) return null;
  return store.snapshot(paymentId);
}
