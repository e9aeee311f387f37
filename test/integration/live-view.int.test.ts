import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpsClientToServerEvents, OpsMove, OpsServerToClientEvents } from '../../contracts/index.js';
import { DEVELOPMENT_OPS_TOKEN } from '../../server/ops/ops-session.js';
import { startSystem, type System } from './harness/system.js';
import { control, pay } from './harness/shopper.js';

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system?.stop();
});

async function signIn(token: string): Promise<Response> {
  return fetch(`${system.bffUrl}/ops/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
}

function opsSocket(cookie?: string): Socket<OpsServerToClientEvents, OpsClientToServerEvents> {
  return io(`${system.bffUrl}/ops`, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: cookie === undefined ? {} : { cookie } });
}

describe('the live view', () => {
  it('signing in with a wrong token is refused; the right one gets an HttpOnly, SameSite=Strict session cookie', async () => {
    const wrong = await signIn('not-the-operator-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const right = await signIn(DEVELOPMENT_OPS_TOKEN);
    expect(right.status).toBe(204);
    expect(right.headers.get('set-cookie')).toMatch(/^payflow_ops=v1\.\d+\.[\w-]+; Max-Age=\d+; Path=\/; Expires=.*; HttpOnly; SameSite=Strict$/);
    expect(right.headers.get('set-cookie')).not.toContain(DEVELOPMENT_OPS_TOKEN);
  });

  it('a socket without a session is refused at the handshake', async () => {
    const socket = opsSocket('payflow_ops=v1.99999999999999.forged');
    try {
      const refusal = await new Promise<string>((resolve, reject) => {
        socket.on('connect_error', (err) => resolve(err.message));
        socket.on('connect', () => reject(new Error('the socket was let in')));
      });
      expect(refusal).toBe('OPS_UNAUTHORIZED');
    } finally {
      socket.close();
    }
  });

  it('a signed-in operator gets the board, then sees a payment move processing → paid → confirmed', async () => {
    const cookie = (await signIn(DEVELOPMENT_OPS_TOKEN)).headers.get('set-cookie')!.split(';')[0]!;
    const socket = opsSocket(cookie);
    const moves: OpsMove[] = [];
    socket.on('ops:move', (move) => moves.push(move));
    try {
      const board = await new Promise((resolve) => socket.once('ops:board', resolve));
      expect(board).toMatchObject({ counts: { processing: expect.any(Number), confirmed: expect.any(Number) }, recent: expect.any(Array), errors: expect.any(Array) });

      await control(system.billingGatesUrl, { latencyMs: 300 });
      const payment = await pay(system.bffUrl);
      const deadline = Date.now() + 30_000;
      const mine = () => moves.filter((move) => move.paymentId === payment.paymentId);
      while (!mine().some((move) => move.to === 'confirmed') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(mine().map((move) => [move.from, move.to])).toEqual([
        [null, 'processing'],
        ['processing', 'paid'],
        ['paid', 'confirmed'],
      ]);
      expect(mine()[2]!.secondsSinceAccepted).toBeGreaterThan(0.3);
    } finally {
      socket.close();
      await control(system.billingGatesUrl, { latencyMs: 20 });
    }
  });

  it('a declined payment shows among the last errors', async () => {
    const cookie = (await signIn(DEVELOPMENT_OPS_TOKEN)).headers.get('set-cookie')!.split(';')[0]!;
    await control(system.billingGatesUrl, { declineTokens: ['pm_card_declined'] });
    const payment = await pay(system.bffUrl, { paymentMethod: { token: 'pm_card_declined' } });
    const socket = opsSocket(cookie);
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const board = await new Promise<{ errors: Array<{ paymentId?: string; code: string }> }>((resolve) => {
          socket.once('ops:board', resolve);
          if (!socket.connected) socket.connect();
          else socket.disconnect().connect();
        });
        const error = board.errors.find((e) => e.paymentId === payment.paymentId);
        if (error) {
          expect(error.code).toBe('CARD_DECLINED');
          break;
        }
        if (Date.now() > deadline) throw new Error('the decline never reached the board');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      socket.close();
    }
  });
});
