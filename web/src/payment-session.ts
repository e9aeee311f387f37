/**
 * What this tab must remember so that a reload resumes the same payment instead of starting a
 * second one. sessionStorage: it survives reloads, stays in this tab, and is gone when it closes.
 *
 * - the attempt (Idempotency-Key and body), from the press of Pay until the payment ends, so a
 *   reload while the request is on its way sends it again and gets the same payment, and Pay
 *   after a failed send reuses the key;
 * - the payment's credentials (id and client secret), from the 202 on, to follow its status.
 */
import { z } from 'zod';
import { PaymentRequest, SocketAuth } from '../../contracts/payment-api.js';

export type PaymentCredentials = SocketAuth;

export const PaymentAttempt = z.object({
  idempotencyKey: z.string(),
  request: PaymentRequest,
  /** Sent, and no answer yet: a reload now must send it again, as the BFF may have accepted it. */
  inFlight: z.boolean(),
});
export type PaymentAttempt = z.infer<typeof PaymentAttempt>;

const ATTEMPT_KEY = 'payflow.attempt';
const PAYMENT_KEY = 'payflow.payment';

export function loadAttempt(): PaymentAttempt | undefined {
  return load(ATTEMPT_KEY, PaymentAttempt);
}

/** The attempt to send `request` in: the stored one when it is for the same body, else a new one. */
export function attemptFor(request: PaymentRequest): PaymentAttempt {
  const stored = loadAttempt();
  if (stored && JSON.stringify(stored.request) === JSON.stringify(request)) return stored;
  return { idempotencyKey: crypto.randomUUID(), request, inFlight: false };
}

export function saveAttempt(attempt: PaymentAttempt): void {
  save(ATTEMPT_KEY, attempt);
}

export function loadPayment(): PaymentCredentials | undefined {
  return load(PAYMENT_KEY, SocketAuth);
}

export function savePayment(credentials: PaymentCredentials): void {
  save(PAYMENT_KEY, credentials);
}

/** Forget the payment: it ended, or it can never be followed again. The next Pay is a new payment. */
export function clearSession(): void {
  remove(ATTEMPT_KEY);
  remove(PAYMENT_KEY);
}

/**
 * Forget the payment's credentials but keep the attempt: the BFF no longer shows this payment,
 * yet it may have been charged, so Pay with the same details must send the same key again and
 * get the same payment back rather than a second one.
 */
export function forgetPayment(): void {
  const attempt = loadAttempt();
  if (attempt) saveAttempt({ ...attempt, inFlight: false });
  remove(PAYMENT_KEY);
}

/** Forget an attempt that the BFF refused for good (4xx): its key must not be sent again. */
export function clearAttempt(): void {
  remove(ATTEMPT_KEY);
}

/** Where storage is disabled, this page's memory keeps the values: a double click still reuses the key. */
const memory = new Map<string, string>();

function load<T>(key: string, schema: z.ZodType<T>): T | undefined {
  let raw: string | null | undefined;
  try {
    raw = sessionStorage.getItem(key) ?? memory.get(key);
  } catch {
    raw = memory.get(key);
  }
  try {
    const parsed = schema.safeParse(JSON.parse(raw ?? 'null'));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // garbled: behave as a fresh tab
  }
}

function save(key: string, value: unknown): void {
  const raw = JSON.stringify(value);
  memory.set(key, raw);
  try {
    sessionStorage.setItem(key, raw);
  } catch {
    // Storage disabled or full: the payment still works, it just cannot resume after a reload.
  }
}

function remove(key: string): void {
  memory.delete(key);
  try {
    sessionStorage.removeItem(key);
  } catch {
    // nothing stored there to remove
  }
}
