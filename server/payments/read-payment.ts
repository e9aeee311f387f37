import type { PaymentSnapshot } from '../../contracts/index.js';
import type { ClientSecrets } from './client-secret.js';
import type { PaymentStore } from './payment-store.js';

/** True only for the holder of the payment's client secret; computed, so it reads nothing from Redis. */
export function isPayer(secrets: ClientSecrets, paymentId: string, clientSecret: string | undefined): boolean {
  return clientSecret !== undefined && secrets.matches(paymentId, clientSecret);
}

/**
 * The snapshot of a payment, for the holder of its client secret only. An unknown payment and a
 * wrong secret give the same answer (null), so the endpoint is no oracle for payment ids: a wrong
 * secret is refused before Redis is asked, and the right secret of a payment Redis no longer holds
 * finds no snapshot.
 */
export async function readPayment(
  store: PaymentStore,
  secrets: ClientSecrets,
  paymentId: string,
  clientSecret: string | undefined,
): Promise<PaymentSnapshot | null> {
  return isPayer(secrets, paymentId, clientSecret) ? store.snapshot(paymentId) : null;
}
