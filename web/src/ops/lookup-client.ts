/** The payment lookup API as the live view uses it: same origin, the session cookie, answers checked against the contract. */
import { z } from 'zod';
import { EmailLookup, PaymentLookup, type PaymentRecord } from '../../../contracts/payment-lookup.js';

export type LookupAnswer = { ok: true; payments: PaymentRecord[]; asked: 'paymentId' | 'email' } | { ok: false; message: string; signedOut: boolean };

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Looks up a paymentId, or an email when the query has an @: the payment first, then its email's other payments. */
export async function lookUp(query: string): Promise<LookupAnswer> {
  const text = query.trim();
  const byEmail = text.includes('@');
  const url = byEmail ? `/ops/api/payments?email=${encodeURIComponent(text)}` : `/ops/api/payments/${encodeURIComponent(text)}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch {
    return { ok: false, message: 'The BFF could not be reached.', signedOut: false };
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    if (byEmail) {
      const answer = EmailLookup.safeParse(body);
      if (answer.success) return { ok: true, payments: answer.data.payments, asked: 'email' };
    } else {
      const answer = PaymentLookup.safeParse(body);
      if (answer.success) return { ok: true, payments: [answer.data.payment, ...answer.data.sameEmail], asked: 'paymentId' };
    }
    return { ok: false, message: 'The answer could not be read; is the page older than the BFF? Reload it.', signedOut: false };
  }
  const error = ErrorBody.safeParse(body);
  if (response.status === 401) return { ok: false, message: 'Your session has ended; please sign in again.', signedOut: true };
  return { ok: false, message: error.success ? error.data.error.message : `The lookup failed (HTTP ${response.status}).`, signedOut: false };
}

export type RecordAnswer = { ok: true } | { ok: false; message: string; signedOut: boolean };

/** Records that an operator returned a refund_failed payment's charge by hand, with the refund's id in Billing Gates. */
export async function recordRefundByHand(paymentId: string, refundId: string): Promise<RecordAnswer> {
  let response: Response;
  try {
    response = await fetch(`/ops/api/payments/${encodeURIComponent(paymentId)}/refunded-by-hand`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ refundId }),
    });
  } catch {
    return { ok: false, message: 'The BFF could not be reached.', signedOut: false };
  }
  if (response.ok) return { ok: true };
  const error = ErrorBody.safeParse(await response.json().catch(() => null));
  if (response.status === 401) return { ok: false, message: 'Your session has ended; please sign in again.', signedOut: true };
  return { ok: false, message: error.success ? error.data.error.message : `The refund could not be recorded (HTTP ${response.status}).`, signedOut: false };
}
