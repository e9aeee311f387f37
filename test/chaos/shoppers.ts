import { io, type Socket } from 'socket.io-client';
import type { PaymentSnapshot, ServerToClientEvents } from '../../contracts/index.js';
import { sleep } from '../../lib/sleep.js';
import type { Accepted } from './load.js';

export interface PagesReport {
  pages: number;
  /** Pages whose socket was pushed the payment's final status. */
  reachedFinal: number;
  /** The same per BFF replica the page's socket was opened on. */
  byReplica: Record<string, { pages: number; reachedFinal: number }>;
  /** Some of the payments whose page never heard its final status. */
  stuck: string[];
}

/**
 * A shopper's page per accepted payment: a Socket.IO connection opened as soon as the 202 comes,
 * reconnecting as the checkout page's does, to the BFF replicas in turn, so that about half of
 * the pushes reach their page through the Redis stream of the Socket.IO adapter.
 */
export class ShopperPages {
  private readonly pages: Array<{ paymentId: string; replica: string; socket: Socket<ServerToClientEvents>; statuses: string[] }> = [];

  constructor(private readonly replicaUrls: string[]) {}

  open = (payment: Accepted): void => {
    const replica = this.replicaUrls[this.pages.length % this.replicaUrls.length]!;
    const socket: Socket<ServerToClientEvents> = io(replica, {
      auth: { paymentId: payment.paymentId, clientSecret: payment.clientSecret },
      transports: ['websocket'],
      forceNew: true,
    });
    const page = { paymentId: payment.paymentId, replica, socket, statuses: [] as string[] };
    socket.on('payment:status', (snapshot: PaymentSnapshot) => page.statuses.push(snapshot.status));
    this.pages.push(page);
  };

  /** Waits until every page heard the final status of its payment (`finals`), or `timeoutMs` passed; then tells how many did. */
  async reached(finals: Map<string, PaymentSnapshot>, timeoutMs: number): Promise<PagesReport> {
    const heard = (page: (typeof this.pages)[number]) => page.statuses.includes(finals.get(page.paymentId)?.status ?? '');
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !this.pages.every(heard)) await sleep(250);
    const byReplica: PagesReport['byReplica'] = {};
    for (const page of this.pages) {
      const replica = (byReplica[page.replica] ??= { pages: 0, reachedFinal: 0 });
      replica.pages++;
      if (heard(page)) replica.reachedFinal++;
    }
    const stuck = this.pages.filter((page) => !heard(page));
    return {
      pages: this.pages.length,
      reachedFinal: this.pages.length - stuck.length,
      byReplica,
      stuck: stuck.slice(0, 5).map((page) => `${page.paymentId} (saw ${page.statuses.join(',') || 'nothing'})`),
    };
  }

  close(): void {
    for (const page of this.pages) page.socket.close();
  }
}
