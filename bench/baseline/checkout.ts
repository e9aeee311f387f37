import { randomUUID } from 'node:crypto';
import type { PaymentRequest } from '../../contracts/index.js';
import type { BillingGatesClient } from '../../workers/billing/billing-gates-client.js';
import type { UdiClient } from '../../workers/order/udi-client.js';

export interface CheckoutDeps {
  udi: UdiClient;
  gates: BillingGatesClient;
}

export type CheckoutResult =
  | { outcome: 'signed-in'; paymentId: string; orderId: string; ssoToken: string; expiresAt: string }
  | { outcome: 'failed'; paymentId: string; step: 'create-order' | 'charge' | 'confirm-order'; code: string; message: string };

/**
 * The seed's *current* flow, step by step while the shopper waits: a. create the order
 * unconfirmed in Udi, b. charge in Billing Gates, c. confirm the order in Udi, which answers the
 * SSO token, d. answer. No retries and no compensation: a step that fails ends the request, as in
 * the flow being replaced (so a charge followed by a failed confirmation stays charged).
 */
export async function checkout(deps: CheckoutDeps, request: PaymentRequest): Promise<CheckoutResult> {
  const paymentId = randomUUID();
  let step: 'create-order' | 'charge' | 'confirm-order' = 'create-order';
  try {
    const created = await deps.udi.createOrder({ paymentId, planId: request.planId, email: request.customer.email });
    if (created.outcome === 'rejected') return { outcome: 'failed', paymentId, step, ...created.reason };
    step = 'charge';
    const charged = await deps.gates.charge({ paymentId, amount: request.amount, paymentMethodToken: request.paymentMethod.token });
    if (charged.outcome === 'declined') return { outcome: 'failed', paymentId, step, ...charged.reason };
    step = 'confirm-order';
    const confirmed = await deps.udi.confirmOrder(created.orderId);
    return { outcome: 'signed-in', paymentId, orderId: confirmed.orderId, ssoToken: confirmed.ssoToken, expiresAt: confirmed.expiresAt };
  } catch (err) {
    const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : 'INTERNAL';
    return { outcome: 'failed', paymentId, step, code, message: err instanceof Error ? err.message : String(err) };
  }
}
