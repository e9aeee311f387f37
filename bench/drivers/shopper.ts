import { randomUUID } from 'node:crypto';
import { PLANS } from '../../contracts/index.js';

/** What happened to one virtual shopper. Times are ms from its scheduled arrival. */
export interface ShopperResult {
  /** Scheduled arrival, ms since the run started. */
  arrivalMs: number;
  outcome: 'signed-in' | 'error' | 'timeout';
  /** POST → first response (any status). */
  firstAnswerMs?: number;
  /** The HTTP status of that first response. */
  firstAnswerStatus?: number;
  /** POST → SSO token in hand. */
  signedInMs?: number;
  /** A short code: `http_503`, `CARD_DECLINED`, `refunded`, `token-refused`, … */
  error?: string;
  paymentId?: string;
  /** Improved flow: how its final status reached the socket (see StatusVia); absent when it never did. */
  statusVia?: StatusVia;
}

/**
 * How the final status reached an improved-flow shopper's socket: `push`, a change pushed on its
 * first connection after the snapshot sent on joining; `join`, already in that first snapshot
 * (the socket came after the outcome, or the change raced the join); `reconnect`, only once the
 * socket had connected again (replayed by session recovery, or read on joining).
 */
export type StatusVia = 'push' | 'join' | 'reconnect';

export interface ShopperContext {
  index: number;
  /** performance.now() of the scheduled arrival: latency counts from here, so a late start is not hidden. */
  arrivalAt: number;
  arrivalMs: number;
  timeoutMs: number;
}

export type Shopper = (ctx: ShopperContext) => Promise<ShopperResult>;

/** What a shopper needs of an HTTP answer: `fetch`'s Response has it, and so has ConnectionPool's post. */
export interface PostAnswer {
  status: number;
  json: () => Promise<unknown>;
}

/** Sends one JSON POST; `fetch` by default, a pool of open connections for a burst (burst-client.ts). */
export type Post = (url: string, init: { headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<PostAnswer>;

export const fetchPost: Post = (url, init) => fetch(url, { method: 'POST', ...init });

/** A valid checkout body, the plans taken in turn; `pm_card_ok` always succeeds. */
export function paymentBody(index: number): string {
  const plan = PLANS[index % PLANS.length]!;
  return JSON.stringify({
    planId: plan.id,
    amount: plan.amount,
    customer: { email: `shopper-${index}@example.com` },
    paymentMethod: { token: 'pm_card_ok' },
  });
}

export const JSON_HEADERS = { 'content-type': 'application/json' };

export function newIdempotencyKey(): string {
  return randomUUID();
}

/** Exchanges the token with Udi as the SaaS app would; true when it is accepted. */
export async function tokenIsUsable(udiUrl: string, token: string): Promise<boolean> {
  try {
    const response = await fetch(`${udiUrl}/sso/exchange`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ token }),
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** The error code of a JSON error answer, or `http_<status>`. */
export async function errorCode(response: PostAnswer): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: unknown } } | null;
  return typeof body?.error?.code === 'string' ? body.error.code : `http_${response.status}`;
}

export function failure(ctx: ShopperContext, error: unknown, extra: Partial<ShopperResult> = {}): ShopperResult {
  const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  return {
    arrivalMs: ctx.arrivalMs,
    outcome: timedOut ? 'timeout' : 'error',
    error: timedOut ? 'timeout' : error instanceof Error ? error.message.slice(0, 60) : String(error),
    ...extra,
  };
}
