import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sleep } from '../../lib/sleep.js';
import { roomOf } from '../../server/realtime/socket-server.js';
import { monitorRedis, type SentCommand } from './harness/redis-monitor.js';
import { pay, ShopperSocket } from './harness/shopper.js';
import { startSystem, type System } from './harness/system.js';

let system: System;
let sent: readonly SentCommand[] = [];
const paymentIds: string[] = [];
beforeAll(async () => {
  // Each status event in a fetch of its own: with the stand-ins' 20 ms, OrderConfirmed often
  // reaches the BFF in the same 100 ms fetch as PaymentSucceeded, and the two race for the snapshot
  // (one compare-and-set is refused and retried, or the later one changes nothing).
  system = await startSystem({ standInLatencyMs: 200 });
  // Warm: the consumer groups have joined and the scripts are loaded.
  for (let i = 0; i < 2; i++) await payAndWatchToConfirmed();
  const monitor = await monitorRedis(inject('redisUrl'));
  try {
    for (let i = 0; i < 5; i++) paymentIds.push(await payAndWatchToConfirmed());
    await sleep(300); // MONITOR's own connection may lag behind the commands it reports
  } finally {
    monitor.stop();
  }
  sent = monitor.sent;
});
afterAll(async () => {
  await system?.stop();
});

async function payAndWatchToConfirmed(): Promise<string> {
  const payment = await pay(system.bffUrl);
  const shopper = new ShopperSocket(system.bffUrl, payment);
  try {
    await shopper.waitFor('confirmed');
  } finally {
    shopper.close();
  }
  return payment.paymentId;
}

/** Who a broadcast the Socket.IO adapter appended to its stream was for: a payment's room, or a socket's own. */
function streamedTo(command: SentCommand, paymentId: string): 'room' | 'socket' | undefined {
  const data = command.args[command.args.indexOf('data') + 1] ?? '';
  if (!data.includes(paymentId)) return undefined;
  const { opts } = JSON.parse(data) as { opts: { rooms: string[] } };
  return opts.rooms.includes(roomOf(paymentId)) ? 'room' : 'socket';
}

/**
 * The round trips of a payment's status path: the commands naming its snapshot key, outside the
 * accept path's transaction, and the broadcasts of its snapshots through the adapter's stream. The
 * accept path's one script (payment-intake.ts) names the snapshot key too, and the client's
 * rate-limit counter besides: it is counted apart.
 */
function roundTripsOf(paymentId: string) {
  const counts = { accepts: 0, snapshotReads: 0, compareAndSets: 0, streamedToRoom: 0, streamedToSocket: 0 };
  for (const command of sent) {
    if (command.name === 'XADD') {
      const to = streamedTo(command, paymentId);
      if (to === 'room') counts.streamedToRoom++;
      if (to === 'socket') counts.streamedToSocket++;
    } else if (!command.inTransaction && command.args.includes(`payflow:payment:${paymentId}:snapshot`)) {
      if (command.name === 'GET') counts.snapshotReads++;
      else if (command.name === 'EVALSHA' && command.args.some((arg) => arg.startsWith('payflow:ratelimit:'))) counts.accepts++;
      else if (command.name === 'EVALSHA') counts.compareAndSets++;
      else throw new Error(`unexpected ${command.name} of the snapshot of ${paymentId}`);
    }
  }
  return counts;
}

describe("the Redis round trips of a payment's status, one replica, a socket from the 202 to confirmed", () => {
  it("the snapshot on join goes from the replica to its socket, not through the adapter's stream: only the two changes do", () => {
    const streamed = paymentIds.map((paymentId) => {
      const { streamedToRoom, streamedToSocket } = roundTripsOf(paymentId);
      return { streamedToRoom, streamedToSocket };
    });
    expect(streamed).toEqual(paymentIds.map(() => ({ streamedToRoom: 2, streamedToSocket: 0 })));
  });

  it('each status event is one compare-and-set, with no read before it: the snapshot is read once, on join', () => {
    const onSnapshot = paymentIds.map((paymentId) => {
      const { accepts, snapshotReads, compareAndSets } = roundTripsOf(paymentId);
      return { accepts, snapshotReads, compareAndSets };
    });
    expect(onSnapshot).toEqual(paymentIds.map(() => ({ accepts: 1, snapshotReads: 1, compareAndSets: 2 })));
  });
});
