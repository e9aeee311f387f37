import { randomUUID } from 'node:crypto';
import { PLANS, type PaymentAccepted } from '../../contracts/index.js';

export interface Accepted extends PaymentAccepted {
  planId: string;
  /** The card it was paid with (`pm_card_ok`, or `pm_card_3ds_required` for one that needs the bank). */
  token: string;
  idempotencyKey: string;
  /** When the POST that was answered 202 was sent, and when its answer came (performance.now(), ms). */
  sentAt: number;
  acceptedAt: number;
}

export interface LoadResult {
  accepted: Accepted[];
  /** Answers other than 202, by status (503 while Kafka or Redis is down is expected; -1: no answer at all). */
  refused: Record<number, number>;
  /** The same answers by their error code (`STORE_UNAVAILABLE`, `REDIS_NOT_REPLICATED`, …; `HTTP_<status>` without one). */
  refusedCodes: Record<string, number>;
  /** Payments refused at least once and then answered 202 when posted again with the same Idempotency-Key. */
  retriedToAccepted: number;
  /** The longest a payment waited from its first POST to its 202, retries included, in ms. */
  slowestAcceptMs: number;
}

/**
 * Posts `count` payments at about `ratePerSecond`, each with its own Idempotency-Key, retrying a
 * 503 with the same key as the checkout page does. Resolves when every payment has an answer.
 * `onAccepted` hears of each 202 as it comes, as a page that opens its socket at once. `tokenOf`
 * picks the card of the i-th payment; default `pm_card_ok` for all.
 */
export async function postPayments(
  bffUrl: string,
  count: number,
  ratePerSecond: number,
  onAccepted?: (payment: Accepted) => void,
  tokenOf: (i: number) => string = () => 'pm_card_ok',
): Promise<LoadResult> {
  const result: LoadResult = { accepted: [], refused: {}, refusedCodes: {}, retriedToAccepted: 0, slowestAcceptMs: 0 };
  const posts: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const plan = PLANS[i % PLANS.length]!;
    posts.push(postOne(bffUrl, { planId: plan.id, amount: plan.amount, token: tokenOf(i) }, result, onAccepted));
    await new Promise((resolve) => setTimeout(resolve, 1000 / ratePerSecond));
  }
  await Promise.all(posts);
  return result;
}

async function postOne(
  bffUrl: string,
  { planId, amount, token }: { planId: string; amount: { value: number; currency: string }; token: string },
  result: LoadResult,
  onAccepted: ((payment: Accepted) => void) | undefined,
): Promise<void> {
  const { accepted, refused, refusedCodes } = result;
  const started = performance.now();
  const key = randomUUID();
  const body = JSON.stringify({ planId, amount, customer: { email: `chaos-${key.slice(0, 8)}@example.com` }, paymentMethod: { token } });
  for (let attempt = 0; attempt < 120; attempt++) {
    let status = 0;
    let code = 'NO_ANSWER';
    const sentAt = performance.now();
    try {
      const response = await fetch(`${bffUrl}/api/payments`, { method: 'POST', headers: { 'content-type': 'application/json', 'Idempotency-Key': key }, body });
      status = response.status;
      if (status === 202) {
        const payment: Accepted = {
          ...((await response.json()) as PaymentAccepted),
          planId,
          token,
          idempotencyKey: key,
          sentAt,
          acceptedAt: performance.now(),
        };
        accepted.push(payment);
        onAccepted?.(payment);
        if (attempt > 0) result.retriedToAccepted++;
        result.slowestAcceptMs = Math.max(result.slowestAcceptMs, Math.round(performance.now() - started));
        return;
      }
      code = ((await response.json().catch(() => null)) as { error?: { code?: string } } | null)?.error?.code ?? `HTTP_${status}`;
    } catch {
      status = -1; // connection refused: the BFF itself is restarting
    }
    refused[status] = (refused[status] ?? 0) + 1;
    refusedCodes[code] = (refusedCodes[code] ?? 0) + 1;
    if (status !== 503 && status !== -1) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
