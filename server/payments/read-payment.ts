import type { PaymentSnapshot } from '../../contracts/index.js';
import { secretMatches } from './client-secret.js';
import type { PaymentStore } from './payment-store.js';

/** True only for the holder of the payment's client secret; an unknown payment is just false. */
export async function isPayer(store: PaymentStore, paymentId: string, clientSecret: string | undefined): Promise<boolean> {
  if (clientSecret === undefined) return false;
  const storedHash = await store.secretHash(paymentId);
  return storedHash !== null && secretMatches(clientSecret, storedHash);
}

/**
 * The snapshot of a payment, for the holder of its client secret only. An unknown payment and a
 * wrong secret give the same answer (null), so the endpoint is no oracle for payment ids.
 */
export async function readPayment(store: PaymentStore, paymentId: string, clientSecret: string | undefined): Promise<PaymentSnapshot | null> {
  return (await isPayer(store, paymentId, clientSecret)) ? store.snapshot(paymentId) : null;
}
