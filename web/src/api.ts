/** The BFF's HTTP API as the page uses it: same origin, JSON, answers checked against the contracts. */
import { z } from 'zod';
import { PayflowError } from '../../contracts/payflow-error.js';
import { PaymentAccepted, type PaymentRequest } from '../../contracts/payment-api.js';
import { PaymentSnapshot } from '../../contracts/payment-status.js';
import { Plan } from '../../contracts/plans.js';
import type { PaymentCredentials } from './payment-session.js';

/** Why a request did not work, in a sentence for the shopper, and whether sending it again may help. */
export class CheckoutError extends PayflowError {
  constructor(
    code: string,
    message: string,
    retryable: boolean,
    /** For INVALID_REQUEST: the request fields that were refused, e.g. "customer.email". */
    readonly fields: string[] = [],
  ) {
    super(code, message, { retryable });
    // The bundle renames classes, so the name the base takes from the class would be a minified one.
    this.name = 'CheckoutError';
  }
}

const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z
      .array(z.object({ path: z.string() }).loose())
      .optional()
      .catch(undefined),
  }),
});

const NETWORK_MESSAGE = 'We could not reach the payment service. Check your connection and try again; you will not be charged twice.';

export async function fetchPlans(): Promise<Plan[]> {
  const response = await send('/api/plans', { headers: { Accept: 'application/json' } });
  if (!response.ok) throw await toCheckoutError(response);
  return z.array(Plan).parse(await response.json());
}

/** POST /api/payments. The same key with the same body always names the same payment. */
export async function postPayment(request: PaymentRequest, idempotencyKey: string): Promise<PaymentAccepted> {
  const response = await send('/api/payments', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': idempotencyKey },
    body: JSON.stringify(request),
  });
  if (response.status !== 202) throw await toCheckoutError(response);
  return PaymentAccepted.parse(await response.json());
}

/** The payment's current snapshot, or null when the BFF knows no payment with these credentials. */
export async function fetchSnapshot({ paymentId, clientSecret }: PaymentCredentials): Promise<PaymentSnapshot | null> {
  const response = await send(`/api/payments/${encodeURIComponent(paymentId)}`, {
    headers: { Accept: 'application/json', Authorization: `Bearer ${clientSecret}` },
    cache: 'no-store',
  });
  if (response.status === 404) return null;
  if (!response.ok) throw await toCheckoutError(response);
  return PaymentSnapshot.parse(await response.json());
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    throw new CheckoutError('NETWORK', NETWORK_MESSAGE, true);
  }
}

async function toCheckoutError(response: Response): Promise<CheckoutError> {
  const parsed = ErrorBody.safeParse(await response.json().catch(() => null));
  const code = parsed.success ? parsed.data.error.code : `HTTP_${response.status}`;
  const serverMessage = parsed.success ? parsed.data.error.message : undefined;
  if (response.status === 400) {
    const fields = parsed.success ? (parsed.data.error.details ?? []).map((detail) => detail.path) : [];
    return new CheckoutError(code, 'Some of the details are not right. Please check them and try again.', false, fields);
  }
  if (response.status === 409) {
    return new CheckoutError(code, 'This order changed while it was being sent. Please press Pay again.', false);
  }
  // The page keeps its Idempotency-Key after this one, so pressing Pay again is the safe retry.
  if (code === 'PAYMENT_NOT_CONFIRMED') {
    return new CheckoutError(
      code,
      'We could not confirm that your payment was received. Press Pay again in a few seconds; you will not be charged twice.',
      true,
    );
  }
  // The page keeps its key here too: nothing was published, and Pay again names the same payment.
  if (code === 'REDIS_NOT_REPLICATED') {
    return new CheckoutError(code, 'Payments are busy right now, and nothing was charged. Please press Pay again in a moment.', true);
  }
  // The BFF words these two for shoppers ("try again in 12 s", "nothing was charged").
  if (response.status === 429 || response.status === 503) {
    return new CheckoutError(code, serverMessage ?? 'Payments are busy right now. Please try again in a few seconds.', true);
  }
  return new CheckoutError(code, 'Something went wrong on our side. Please try again; you will not be charged twice.', response.status >= 500);
}
