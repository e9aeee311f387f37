import { randomUUID } from 'node:crypto';
import type { ChargeSettledWebhook } from '../../../contracts/index.js';
import { DEVELOPMENT_WEBHOOK_SECRET, signWebhook, WEBHOOK_SIGNATURE_HEADER } from '../../../lib/webhook-signature.js';

/** A charge.settled webhook for `paymentId`, as Billing Gates sends one, with a fresh id. */
export function chargeSettledWebhook(paymentId: string, data: Partial<ChargeSettledWebhook['data']> = {}): ChargeSettledWebhook {
  return {
    id: `evt_${randomUUID()}`,
    type: 'charge.settled',
    created: new Date().toISOString(),
    data: { paymentId, idempotencyKey: `charge:${paymentId}`, chargeId: `ch_${randomUUID()}`, status: 'succeeded', ...data },
  };
}

/**
 * POSTs `body` to the BFF's webhook as Billing Gates does, with `signature` as the signature header
 * (default: signed now with the development secret the BFF accepts; null: none).
 */
export async function deliverWebhook(
  bffUrl: string,
  body: string,
  signature: string | null = signWebhook(DEVELOPMENT_WEBHOOK_SECRET, body),
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${bffUrl}/api/webhooks/billing-gates`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { [WEBHOOK_SIGNATURE_HEADER]: signature }) },
    body,
  });
  return { status: response.status, body: await response.json() };
}
