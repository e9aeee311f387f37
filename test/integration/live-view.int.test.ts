import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addHistograms,
  CONFIRM_SECONDS_BOUNDS,
  confirmSecondsIndex,
  emptyBucket,
  OPS_OUTCOMES,
  quantile,
  type OpsBoard,
  type OpsClientToServerEvents,
  type OpsMove,
  type OpsServerToClientEvents,
  type OpsSeries,
  type OpsSeriesBucket,
} from '../../contracts/index.js';
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

/** The board a newly connected operator gets. */
async function freshBoard(cookie: string): Promise<OpsBoard> {
  const socket = opsSocket(cookie);
  try {
    return await new Promise<OpsBoard>((resolve, reject) => {
      socket.once('ops:board', resolve);
      socket.once('connect_error', reject);
    });
  } finally {
    socket.close();
  }
}

/** The series' buckets added up: what the whole window holds. */
function windowTotal(series: OpsSeries): OpsSeriesBucket {
  const total = emptyBucket(0);
  for (const bucket of series.buckets) {
    for (const outcome of OPS_OUTCOMES) total.outcomes[outcome] += bucket.outcomes[outcome];
    total.confirmSeconds = addHistograms(total.confirmSeconds, bucket.confirmSeconds);
  }
  return total;
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

  it('after an operator signs out, a copy of their cookie is refused by the lookup API and the /ops handshake, and their open socket is closed', async () => {
    const cookie = (await signIn(DEVELOPMENT_OPS_TOKEN)).headers.get('set-cookie')!.split(';')[0]!;
    const lookUp = (withCookie: string) => fetch(`${system.bffUrl}/ops/api/payments/3f1c1a52-8d3e-4c39-9d55-6a0b7f0e2a11`, { headers: { cookie: withCookie } });
    expect((await lookUp(cookie)).status).toBe(404);
    const open = opsSocket(cookie);
    const closed = new Promise<string>((resolve) => open.on('disconnect', (reason) => resolve(reason)));
    try {
      await new Promise((resolve) => open.once('ops:board', resolve));

      const signOut = await fetch(`${system.bffUrl}/ops/session`, { method: 'DELETE', headers: { cookie } });
      expect(signOut.status).toBe(204);
      expect(signOut.headers.get('set-cookie')).toMatch(/^payflow_ops=;/);

      const refused = await lookUp(cookie);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { code: 'OPS_UNAUTHORIZED' } });
      const copy = opsSocket(cookie);
      try {
        const refusal = await new Promise<string>((resolve, reject) => {
          copy.on('connect_error', (err) => resolve(err.message));
          copy.on('connect', () => reject(new Error('the copied cookie was let in')));
        });
        expect(refusal).toBe('OPS_UNAUTHORIZED');
      } finally {
        copy.close();
      }
      expect(await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('still open after 5 s'), 5_000))])).toBe('io server disconnect');
    } finally {
      open.close();
    }
    // Signing in again gives a session that works.
    const fresh = (await signIn(DEVELOPMENT_OPS_TOKEN)).headers.get('set-cookie')!.split(';')[0]!;
    expect((await lookUp(fresh)).status).toBe(404);
  });

  it('a signed-in operator gets the board, then sees a payment move processing → paid → confirmed', async () => {
    const cookie = (await signIn(DEVELOPMENT_OPS_TOKEN)).headers.get('set-cookie')!.split(';')[0]!;
    const socket = opsSocket(cookie);
    const moves: OpsMove[] = [];
    socket.on('ops:move', (move) => moves.push(move));
    try {
      const board = await new Promise((resolve) => socket.once('ops:board', resolve));
      expect(board).toMatchObject({
        counts: { processing: expect.any(Number), confirmed: expect.any(Number) },
        recent: expect.any(Array),
        errors: expect.any(Array),
      });

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

  it("after some payments are confirmed and one declined, a newly connected operator's board holds them in the charts' series", async () => {
    const cookie = (await signIn(DEVELOPMENT_OPS_TOKEN)).headers.get('set-cookie')!.split(';')[0]!;
    await control(system.billingGatesUrl, { latencyMs: 200, declineTokens: ['pm_card_declined'] });
    const watcher = opsSocket(cookie);
    const moves: OpsMove[] = [];
    watcher.on('ops:move', (move) => moves.push(move));
    try {
      await new Promise((resolve) => watcher.once('ops:board', resolve));
      const before = windowTotal((await freshBoard(cookie)).series);
      const confirmedCount = 4;
      const payments = await Promise.all([
        ...Array.from({ length: confirmedCount }, () => pay(system.bffUrl)),
        pay(system.bffUrl, { paymentMethod: { token: 'pm_card_declined' } }),
      ]);
      const mine = new Set(payments.map((payment) => payment.paymentId));

      const deadline = Date.now() + 30_000;
      let after = windowTotal((await freshBoard(cookie)).series);
      while (
        (after.outcomes.confirmed < before.outcomes.confirmed + confirmedCount || after.outcomes.failed < before.outcomes.failed + 1) &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        after = windowTotal((await freshBoard(cookie)).series);
      }
      expect(after.outcomes.confirmed - before.outcomes.confirmed).toBe(confirmedCount);
      expect(after.outcomes.failed - before.outcomes.failed).toBe(1);
      expect(after.outcomes.refunded - before.outcomes.refunded).toBe(0);

      // The histogram of these payments alone: every confirmation counted once, with its time.
      const added = after.confirmSeconds.map((count, index) => count - before.confirmSeconds[index]!);
      expect(added.reduce((sum, count) => sum + count, 0)).toBe(confirmedCount);
      const seen = moves.filter((move) => mine.has(move.paymentId) && move.to === 'confirmed').map((move) => move.secondsSinceAccepted!);
      expect(seen).toHaveLength(confirmedCount);
      for (const seconds of seen) expect(added[confirmSecondsIndex(seconds)]).toBeGreaterThan(0);
      // A percentile is interpolated within its bucket: above 0, and at most the top of the slowest one's bucket.
      const slowestBucketTop = CONFIRM_SECONDS_BOUNDS[confirmSecondsIndex(Math.max(...seen))] ?? Infinity;
      const p50 = quantile(added, 0.5)!;
      const p99 = quantile(added, 0.99)!;
      expect(p50).toBeGreaterThan(0);
      expect(p99).toBeGreaterThanOrEqual(p50);
      expect(p99).toBeLessThanOrEqual(slowestBucketTop);
      // The card takes 200 ms, so no confirmation is quicker: the median is past the first bucket.
      expect(p50).toBeGreaterThan(CONFIRM_SECONDS_BOUNDS[0]);

      // A connected page can ask for the series again (it does once a minute), but not over and over.
      const asked = windowTotal(await watcher.timeout(10_000).emitWithAck('ops:series'));
      expect(asked).toEqual(after);
      await expect(watcher.timeout(1_000).emitWithAck('ops:series')).rejects.toThrow();
    } finally {
      watcher.close();
      await control(system.billingGatesUrl, { latencyMs: 20, declineTokens: [] });
    }
  });
});
