import { io, type Socket } from 'socket.io-client';
import type { PaymentAccepted, PaymentRequest, PaymentSnapshot, PaymentStatusName, ServerToClientEvents } from '../../../contracts/index.js';
import { PLANS } from '../../../contracts/index.js';

export function paymentRequest(overrides: Partial<PaymentRequest> = {}): PaymentRequest {
  const plan = PLANS[1]!;
  return {
    planId: plan.id,
    amount: plan.amount,
    customer: { email: `shopper-${Math.random().toString(36).slice(2, 8)}@example.com` },
    paymentMethod: { token: 'pm_card_ok' },
    ...overrides,
  };
}

export async function postPayment(
  bffUrl: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${bffUrl}/api/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

export async function pay(bffUrl: string, overrides: Partial<PaymentRequest> = {}): Promise<PaymentAccepted & { request: PaymentRequest }> {
  const request = paymentRequest(overrides);
  const response = await postPayment(bffUrl, request);
  if (response.status !== 202) throw new Error(`expected 202, got ${response.status}: ${JSON.stringify(response.body)}`);
  return { ...(response.body as PaymentAccepted), request };
}

/** A shopper's browser socket: records every snapshot it receives. */
export class ShopperSocket {
  readonly snapshots: PaymentSnapshot[] = [];
  readonly socket: Socket<ServerToClientEvents>;

  constructor(bffUrl: string, auth: { paymentId: string; clientSecret: string }, transports: ('websocket' | 'polling')[] = ['websocket']) {
    this.socket = io(bffUrl, { auth, transports, reconnection: false, forceNew: true });
    this.socket.on('payment:status', (snapshot) => this.snapshots.push(snapshot));
  }

  /** Resolves with the first snapshot in `status`, or rejects after `timeoutMs`. */
  waitFor(status: PaymentStatusName, timeoutMs = 30_000): Promise<PaymentSnapshot> {
    return new Promise((resolve, reject) => {
      const found = () => this.snapshots.find((s) => s.status === status);
      const check = () => {
        const snapshot = found();
        if (snapshot) {
          clearTimeout(timer);
          this.socket.off('payment:status', check);
          resolve(snapshot);
        }
      };
      const timer = setTimeout(() => {
        this.socket.off('payment:status', check);
        reject(new Error(`no "${status}" within ${timeoutMs} ms; saw ${JSON.stringify(this.snapshots.map((s) => s.status))}`));
      }, timeoutMs);
      this.socket.on('payment:status', check);
      check();
    });
  }

  /** Resolves with the handshake error message, or rejects if the socket connects. */
  refusal(timeoutMs = 5_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('neither connected nor refused')), timeoutMs);
      this.socket.on('connect_error', (err) => {
        clearTimeout(timer);
        resolve(err.message);
      });
      this.socket.on('connect', () => {
        clearTimeout(timer);
        reject(new Error('the socket was let in'));
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}

export async function ledger(url: string, paymentId?: string): Promise<Array<{ kind: string; paymentId: string }>> {
  const query = paymentId ? `?paymentId=${paymentId}` : '';
  const body = (await (await fetch(`${url}/__ledger${query}`)).json()) as { entries: Array<{ kind: string; paymentId: string }> };
  return body.entries;
}

/** The kinds of a payment's entries in a stand-in's ledger, in the order they happened. */
export async function ledgerKinds(url: string, paymentId: string): Promise<string[]> {
  return (await ledger(url, paymentId)).map((entry) => entry.kind);
}

/**
 * Answers the bank's challenge a snapshot in requires_action names, as the shopper's browser does:
 * the form's POST with where to come back to, Billing Gates' 303 not followed.
 */
export function answerChallenge(snapshot: PaymentSnapshot, action: 'complete' | 'fail', returnUrl: string): Promise<Response> {
  return fetch(`${snapshot.nextAction!.url}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ returnUrl }),
    redirect: 'manual',
  });
}

export async function control(url: string, settings: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${url}/__control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(settings) });
  if (!response.ok) throw new Error(`control failed: ${response.status} ${await response.text()}`);
}

/** Posts the SSO token to the SaaS app's landing as the browser's form does. */
export async function signIn(landingUrl: string, token: string): Promise<Response> {
  return fetch(landingUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
    redirect: 'manual',
  });
}
