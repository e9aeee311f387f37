import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpsClientToServerEvents, OpsMove, OpsServerToClientEvents, PaymentSnapshot, ServerToClientEvents } from '../../contracts/index.js';
import { DEVELOPMENT_OPS_TOKEN } from '../../server/ops/ops-session.js';
import { startTcpSwitch } from '../support/tcp-switch.js';
import { until } from '../support/until.js';
import { control, pay, ShopperSocket } from './harness/shopper.js';
import { startSystem, type BffReplica, type System } from './harness/system.js';
import { sleep } from '../../lib/sleep.js';

/** Two BFF replicas in one group: whichever projects a status, the replica holding the socket pushes it. */
let system: System;
let second: BffReplica;
beforeAll(async () => {
  system = await startSystem();
  second = await system.addBffReplica();
});
afterAll(async () => {
  await system?.stop();
});

describe('BFF replicas behind one address', () => {
  it.each([['websocket'], ['polling']] as const)(
    'a payment posted to one replica reaches confirmed on a %s socket connected to the other',
    async (transport) => {
      await control(system.billingGatesUrl, { latencyMs: 500 });
      const payment = await pay(system.bffUrl);
      const shopper = new ShopperSocket(second.url, payment, [transport]);
      try {
        await shopper.waitFor('confirmed');
        expect(shopper.snapshots.map((s) => s.status)).toEqual(['processing', 'paid', 'confirmed']);
      } finally {
        shopper.close();
        await control(system.billingGatesUrl, { latencyMs: 20 });
      }
    },
  );

  it('an operator watching on one replica sees every move of a payment posted to the other', async () => {
    const signedIn = await fetch(`${second.url}/ops/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: DEVELOPMENT_OPS_TOKEN }),
    });
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    const operator: Socket<OpsServerToClientEvents, OpsClientToServerEvents> = io(`${second.url}/ops`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { cookie },
    });
    const moves: OpsMove[] = [];
    operator.on('ops:move', (move) => moves.push(move));
    try {
      await new Promise((resolve) => operator.once('ops:board', resolve));
      await control(system.billingGatesUrl, { latencyMs: 300 });
      const payment = await pay(system.bffUrl);
      const mine = () => moves.filter((move) => move.paymentId === payment.paymentId).map((move) => [move.from, move.to]);
      await until(() => mine().some(([, to]) => to === 'confirmed'), 30_000, 50);
      expect(mine()).toEqual([
        [null, 'processing'],
        ['processing', 'paid'],
        ['paid', 'confirmed'],
      ]);
    } finally {
      operator.close();
      await control(system.billingGatesUrl, { latencyMs: 20 });
    }
  });

  it('a replica told to stop answers /readyz 503 while it drains and still serves, then its shoppers resume on another replica', async () => {
    const draining = await system.addBffReplica({ SHUTDOWN_DRAIN_MS: 1_500 });
    const balancer = await startTcpSwitch(Number(new URL(draining.url).port));
    // Slow orders: the socket gets "paid" (a push, which carries a stream offset) before the replica stops.
    await control(system.udiUrl, { latencyMs: 2_500 });
    const payment = await pay(system.bffUrl);
    const snapshots: PaymentSnapshot[] = [];
    const socket: Socket<ServerToClientEvents> = io(`http://127.0.0.1:${balancer.port}`, {
      auth: payment,
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 100,
    });
    socket.on('payment:status', (snapshot) => snapshots.push(snapshot));
    try {
      await until(() => snapshots.some((s) => s.status === 'paid'), 15_000, 50);
      const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      const stopping = draining.stop();
      await sleep(300);

      const readyz = await fetch(`${draining.url}/readyz`);
      expect(readyz.status).toBe(503);
      expect(((await readyz.json()) as { failing: string[] }).failing).toEqual(['accepting']);
      expect((await fetch(`${draining.url}/api/plans`)).status).toBe(200);

      balancer.switchTo(Number(new URL(second.url).port));
      await stopping;
      expect(await disconnected).toBe('transport close'); // socket.io-client reconnects by itself on this
      await until(() => socket.connected, 10_000, 50);
      expect(socket.recovered).toBe(true);
      await until(() => snapshots.some((s) => s.status === 'confirmed'), 15_000, 50);
      expect([...new Set(snapshots.map((s) => s.status))]).toEqual(['processing', 'paid', 'confirmed']);
      await expect(fetch(`${draining.url}/healthz`)).rejects.toThrow();
    } finally {
      socket.close();
      await balancer.close();
      await control(system.udiUrl, { latencyMs: 20 });
    }
  });
});
