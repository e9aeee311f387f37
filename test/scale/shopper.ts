import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { isTerminal, PLANS, type PaymentAccepted, type PaymentSnapshot, type ServerToClientEvents } from '../../contracts/index.js';
import type { Socket } from 'socket.io-client';
import { sleep } from '../../lib/sleep.js';

export interface ShopperRun {
  payment: PaymentAccepted;
  /** Every status the socket delivered, in order (repeats included). */
  statuses: string[];
  final: PaymentSnapshot;
  /** Connections after the first, and how many of them resumed the session (connection state recovery). */
  reconnects: number;
  recovered: number;
  /** POSTs answered with anything but 202 before the one that was. */
  refusedPosts: number;
}

/**
 * One shopper as the checkout page behaves, through the load balancer: pays (sending the same
 * Idempotency-Key again after a refusal or a lost answer), then follows the payment on a socket
 * that starts on long-polling (sticky by the balancer's cookie) and upgrades to WebSocket, and
 * reconnects whenever its replica goes away. Resolves at a terminal status.
 */
export async function shop(url: string, index: number, timeoutMs: number): Promise<ShopperRun> {
  const plan = PLANS[index % PLANS.length]!;
  const key = randomUUID();
  const body = JSON.stringify({
    planId: plan.id,
    amount: plan.amount,
    customer: { email: `scale-${index}@example.com` },
    paymentMethod: { token: 'pm_card_ok' },
  });
  let refusedPosts = 0;
  let payment: PaymentAccepted | undefined;
  const deadline = Date.now() + timeoutMs;
  while (payment === undefined) {
    if (Date.now() > deadline) throw new Error(`shopper ${index}: no 202 within ${timeoutMs} ms (${refusedPosts} refusals)`);
    try {
      const response = await fetch(`${url}/api/payments`, { method: 'POST', headers: { 'content-type': 'application/json', 'Idempotency-Key': key }, body });
      if (response.status === 202) payment = (await response.json()) as PaymentAccepted;
      else await response.body?.cancel();
    } catch {
      // the answer was lost: the same key again names the same payment
    }
    if (payment === undefined) {
      refusedPosts++;
      await sleep(250);
    }
  }
  return follow(url, payment, refusedPosts, deadline - Date.now());
}

function follow(url: string, payment: PaymentAccepted, refusedPosts: number, timeoutMs: number): Promise<ShopperRun> {
  const statuses: string[] = [];
  let connects = 0;
  let recovered = 0;
  const socket: Socket<ServerToClientEvents> = io(url, {
    auth: { paymentId: payment.paymentId, clientSecret: payment.clientSecret },
    transports: ['polling', 'websocket'],
    withCredentials: true, // keeps the balancer's cookie, as a browser does
    forceNew: true,
    reconnectionDelay: 250,
    reconnectionDelayMax: 2_000,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`payment ${payment.paymentId}: no terminal status within ${timeoutMs} ms; saw ${JSON.stringify(statuses)}`));
    }, timeoutMs);
    socket.on('connect', () => {
      if (connects++ > 0 && socket.recovered) recovered++;
    });
    // Refused at the handshake (e.g. UNAVAILABLE while its replica dies): socket.io gives up, we do not.
    socket.on('connect_error', () => {
      if (!socket.active) setTimeout(() => socket.connect(), 500);
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('payment:status', (snapshot) => {
      statuses.push(snapshot.status);
      if (!isTerminal(snapshot.status)) return;
      clearTimeout(timer);
      socket.close();
      resolve({ payment, statuses, final: snapshot, reconnects: Math.max(0, connects - 1), recovered, refusedPosts });
    });
  });
}
