import type { Redis } from 'ioredis';
import { Manager } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { topicsWithPrefix, type PaymentSnapshot } from '../../contracts/index.js';
import { createKafka } from '../../lib/kafka.js';
import { createLogger } from '../../lib/logger.js';
import { connectRedis } from '../../lib/redis-connection.js';
import { sleep } from '../../lib/sleep.js';
import { readDeadLetters } from '../support/dead-letters.js';
import { OpsBoardStore } from '../../server/ops/ops-board-store.js';
import { sha256 } from '../../server/payments/idempotency-store.js';
import { findViolations } from '../support/payment-invariants.js';
import { until } from '../support/until.js';
import { handshakeOnce } from './harness/socket-handshake.js';
import { control, ledger, pay, paymentRequest, postPayment, ShopperSocket, signIn } from './harness/shopper.js';
import { startSystem, type System } from './harness/system.js';

let system: System;
let redis: Redis;
beforeAll(async () => {
  system = await startSystem();
  redis = connectRedis(inject('redisUrl'));
});
afterAll(async () => {
  await system?.stop();
  await redis?.quit();
});

describe('a payment snapshot in Redis that cannot be read', () => {
  it('dead-letters the status event that meets it with SNAPSHOT_UNREADABLE, and the partition moves on', async () => {
    const topics = topicsWithPrefix(system.topicPrefix);
    // Slow charges: the snapshot is spoilt before PaymentSucceeded reaches the BFF.
    await control(system.billingGatesUrl, { latencyMs: 1_500 });
    try {
      const payment = await pay(system.bffUrl);
      await redis.set(`payflow:payment:${payment.paymentId}:snapshot`, '{"paymentId": "half a snapsh');

      const [deadLetter] = await readDeadLetters(system.kafkaBrokers, [topics.paymentsSucceeded], 1, 30_000);
      expect(deadLetter?.headers['dlq-error-code']).toBe('SNAPSHOT_UNREADABLE');
      expect(deadLetter?.headers['dlq-error']).toContain(payment.paymentId);
      // The operators' live view lists it.
      const board = new OpsBoardStore(redis, system.topicPrefix);
      await until(async () => (await board.read()).errors.some((error) => error.code === 'SNAPSHOT_UNREADABLE'), 10_000);

      // The status group's commit point passes the record instead of holding at it.
      const admin = createKafka({ clientId: 'offsets', brokers: system.kafkaBrokers, logger: createLogger('test', 'silent') }).admin();
      await admin.connect();
      try {
        // Partitions that never had a record have nothing to commit (-1).
        const end = (await admin.fetchTopicOffsets(topics.paymentsSucceeded)).filter((p) => p.high !== '0');
        const committed = async () => {
          const [offsets] = await admin.fetchOffsets({ groupId: `${system.topicPrefix}payflow-bff-status`, topics: [topics.paymentsSucceeded] });
          return end.map((p) => [p.partition, offsets?.partitions.find((c) => c.partition === p.partition)?.offset]);
        };
        const wanted = end.map((p) => [p.partition, p.high]);
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline && JSON.stringify(await committed()) !== JSON.stringify(wanted)) await sleep(250);
        expect(await committed()).toEqual(wanted);
      } finally {
        await admin.disconnect();
      }
    } finally {
      await control(system.billingGatesUrl, { latencyMs: 20 });
    }
  });
});

describe('the SSO token at rest', () => {
  it('after a payment is confirmed on a socket of the other replica, no Redis key or stream entry holds the opened token', async () => {
    const other = await system.addBffReplica();
    await control(system.billingGatesUrl, { latencyMs: 500 });
    const payment = await pay(system.bffUrl);
    const shopper = new ShopperSocket(other.url, payment);
    let token: string;
    try {
      const confirmed = await shopper.waitFor('confirmed');
      token = confirmed.signIn!.ssoToken;
      // Opened for the payer: the SaaS app takes it.
      expect((await signIn(confirmed.signIn!.landingUrl, token)).status).toBe(303);
    } finally {
      shopper.close();
      await control(system.billingGatesUrl, { latencyMs: 20 });
    }
    expect(token.length).toBeGreaterThan(10);
    // A socket that joins after the payment ended gets the confirmed snapshot on join, token opened.
    const late = new ShopperSocket(system.bffUrl, payment);
    try {
      expect((await late.waitFor('confirmed')).signIn?.ssoToken).toBe(token);
    } finally {
      late.close();
    }
    // The session of the closed socket is written on disconnect: give it a moment.
    await sleep(500);
    const holders = await keysHolding(redis, token);
    expect(holders).toEqual([]);
  });
});

describe('the client secret at rest', () => {
  it('after a payment with an Idempotency-Key is confirmed, Redis holds neither its client secret, nor its hash, nor a sealed copy', async () => {
    const idempotencyKey = crypto.randomUUID();
    const accepted = await postPayment(system.bffUrl, paymentRequest(), { 'Idempotency-Key': idempotencyKey });
    expect(accepted.status).toBe(202);
    const { paymentId, clientSecret } = accepted.body as { paymentId: string; clientSecret: string };
    const shopper = new ShopperSocket(system.bffUrl, { paymentId, clientSecret });
    try {
      await shopper.waitFor('confirmed');
    } finally {
      shopper.close();
    }
    expect({ secret: await keysHolding(redis, clientSecret), hash: await keysHolding(redis, sha256(clientSecret)) }).toEqual({ secret: [], hash: [] });
    // What the idempotency record keeps: which payment the key and body name, and which server key derived its secret.
    const record = JSON.parse((await redis.get(`payflow:idempotency:${sha256(idempotencyKey)}`)) ?? '{}') as Record<string, unknown>;
    expect(Object.keys(record).sort()).toEqual(['accepted', 'bodyHash', 'paymentId', 'secretKeyId']);
  });
});

describe("Redis losing a payment's keys after its 202 (eviction, a restart without AOF, a failover)", () => {
  /** Where the BFF keeps each of a payment's keys (server/payments/idempotency-store.ts, payment-store.ts). */
  const keysOf = (idempotencyKey: string, paymentId: string) => ({
    idempotency: `payflow:idempotency:${sha256(idempotencyKey)}`,
    snapshot: `payflow:payment:${paymentId}:snapshot`,
  });

  /**
   * Pays with an Idempotency-Key until confirmed, deletes the named keys, posts the same key and
   * body again, and follows the answer to its terminal status with the secret it was given.
   */
  async function replayAfterLosing(lost: Array<'idempotency' | 'snapshot'>) {
    const idempotencyKey = crypto.randomUUID();
    const request = paymentRequest();
    const first = await postPayment(system.bffUrl, request, { 'Idempotency-Key': idempotencyKey });
    expect(first.status).toBe(202);
    const firstSocket = new ShopperSocket(system.bffUrl, first.body);
    try {
      await firstSocket.waitFor('confirmed');
    } finally {
      firstSocket.close();
    }
    const keys = keysOf(idempotencyKey, first.body.paymentId);
    expect(await redis.del(...lost.map((family) => keys[family]))).toBe(lost.length);

    const second = await postPayment(system.bffUrl, request, { 'Idempotency-Key': idempotencyKey });
    expect(second.status).toBe(202);
    // The secret the replay answered with opens the payment, and it ends as it ended before.
    const secondSocket = new ShopperSocket(system.bffUrl, second.body);
    let final: { status: string };
    try {
      final = await secondSocket.waitFor('confirmed');
    } finally {
      secondSocket.close();
    }
    // Give a second charge, if one is coming, the time to land.
    await sleep(2_000);
    const paymentIds = [...new Set([first.body.paymentId as string, second.body.paymentId as string])];
    const billing = (await ledger(system.billingGatesUrl)).filter((entry) => paymentIds.includes(entry.paymentId));
    const udi = (await ledger(system.udiUrl)).filter((entry) => paymentIds.includes(entry.paymentId));
    const answers = [first, second].map(({ body }) => ({ idempotencyKey, paymentId: body.paymentId as string }));
    const charges = billing.filter((entry) => entry.kind === 'charge').length;
    return {
      first: first.body as { paymentId: string; clientSecret: string },
      second: second.body as { paymentId: string; clientSecret: string },
      charges,
      final,
      billing,
      udi,
      answers,
    };
  }

  it('without its idempotency record, the same key and body get the same paymentId and the same client secret, and it is charged once', async () => {
    const run = await replayAfterLosing(['idempotency']);
    expect({ paymentId: run.second.paymentId, clientSecret: run.second.clientSecret, charges: run.charges }).toEqual({
      paymentId: run.first.paymentId,
      clientSecret: run.first.clientSecret,
      charges: 1,
    });
    expect(run.final.status).toBe('confirmed');
    const violations = findViolations({
      billing: run.billing.map((entry, seq) => ({ ...entry, seq })),
      udi: run.udi.map((entry, seq) => ({ ...entry, seq })),
      snapshots: new Map(),
      answers: run.answers,
    });
    expect(violations.duplicateCharges).toEqual([]);
    expect(violations.paymentsForOneKey).toEqual([]);
  });

  it('without its idempotency record, the same key with another body (another shopper) is a payment of its own, and the first secret still opens the first payment', async () => {
    const idempotencyKey = crypto.randomUUID();
    const first = await postPayment(system.bffUrl, paymentRequest(), { 'Idempotency-Key': idempotencyKey });
    expect(first.status).toBe(202);
    expect(await redis.del(keysOf(idempotencyKey, first.body.paymentId).idempotency)).toBe(1);

    const other = await postPayment(system.bffUrl, paymentRequest(), { 'Idempotency-Key': idempotencyKey });
    expect(other.status).toBe(202);
    expect(other.body.paymentId).not.toBe(first.body.paymentId);
    const firstSocket = new ShopperSocket(system.bffUrl, first.body);
    try {
      expect((await firstSocket.waitFor('confirmed')).paymentId).toBe(first.body.paymentId);
    } finally {
      firstSocket.close();
    }
  });

  it('without any of its keys, the same key and body rebuild the same payment with the same client secret, which ends confirmed again, charged once', async () => {
    const run = await replayAfterLosing(['idempotency', 'snapshot']);
    expect({ paymentId: run.second.paymentId, clientSecret: run.second.clientSecret, charges: run.charges }).toEqual({
      paymentId: run.first.paymentId,
      clientSecret: run.first.clientSecret,
      charges: 1,
    });
    expect(run.final.status).toBe('confirmed');
  });
});

describe('socket handshakes past the rate limit', () => {
  it('a client over the limit that claims a session to restore gets TOO_MANY_CONNECTIONS without the restore reading Redis', async () => {
    const limited = await system.addBffReplica({ SOCKET_HANDSHAKES_PER_MINUTE: 1 });
    const attempts = 20;
    const restoresBefore = await commandCalls(redis, 'xrange');
    const refusals: string[] = [];
    for (let i = 0; i < attempts; i++) {
      // A made-up session id and a well-formed offset: the restore runs MULTI GET DEL and XRANGE for it.
      refusals.push(await handshakeOnce(limited.url, { paymentId: crypto.randomUUID(), clientSecret: 'guess', pid: `made-up-${i}`, offset: '0-0' }));
    }
    const restores = (await commandCalls(redis, 'xrange')) - restoresBefore;
    // At most the one handshake the limit allows this minute reaches the restore.
    expect(restores).toBeLessThanOrEqual(1);
    expect(refusals.filter((refusal) => refusal === 'TOO_MANY_CONNECTIONS').length).toBeGreaterThanOrEqual(attempts - 1);
  });

  it('a client that sends CONNECT after CONNECT on one connection is cut off, so neither restores nor secret guesses go unlimited', async () => {
    const manager = new Manager(system.bffUrl, { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false });
    await new Promise<void>((resolve, reject) => manager.open((err) => (err ? reject(err) : resolve())));
    const engine = manager.engine;
    const closed = new Promise<void>((resolve) => engine.once('close', () => resolve()));
    const restoresBefore = await commandCalls(redis, 'xrange');
    const attempts = 30;
    for (let i = 0; i < attempts; i++) {
      // Raw Socket.IO CONNECT packets ("0" + auth) for the main namespace, each guessing a secret.
      engine.send(`0${JSON.stringify({ paymentId: crypto.randomUUID(), clientSecret: `guess-${i}`, pid: `made-up-${i}`, offset: '0-0' })}`);
    }
    await Promise.race([closed, sleep(3_000)]);
    const restores = (await commandCalls(redis, 'xrange')) - restoresBefore;
    const cutOff = engine.readyState === 'closed';
    engine.close();
    expect(cutOff).toBe(true);
    expect(restores).toBeLessThanOrEqual(2);
  });
});

describe('a resumed socket session', () => {
  interface CutOffPayer {
    payment: Awaited<ReturnType<typeof pay>>;
    /** What the payer's client would resume with: the session id of its CONNECT, the offset of its last push. */
    pid: string;
    offset: string;
  }

  /**
   * A payer's socket that got its payment's first push (paid: the snapshot on join is sent from
   * the replica alone and carries no stream offset), then lost its connection (a transport close,
   * which Socket.IO recovers from) while the payment went on to confirmed; the session id and
   * offset that client would resume with, read off the wire.
   */
  async function cutOffPayer(): Promise<CutOffPayer> {
    await control(system.udiUrl, { latencyMs: 1_000 });
    try {
      const payment = await pay(system.bffUrl);
      const manager = new Manager(system.bffUrl, { transports: ['websocket'], reconnection: false, forceNew: true });
      const packets = packetsOf(manager);
      const socket = manager.socket('/', { auth: { paymentId: payment.paymentId, clientSecret: payment.clientSecret } });
      await until(() => packets.events.some((event) => (event[1] as PaymentSnapshot).status === 'paid'), 10_000, 20);
      const pid = packets.connect?.pid;
      const offset = packets.events.at(-1)?.at(-1);
      if (typeof pid !== 'string' || typeof offset !== 'string') throw new Error(`no session id or offset on the wire: ${JSON.stringify(packets)}`);
      manager.engine.close();
      await until(async () => (await statusOf(payment)) === 'confirmed', 30_000);
      socket.close();
      return { payment, pid, offset };
    } finally {
      await control(system.udiUrl, { latencyMs: 20 });
    }
  }

  async function statusOf(payment: { paymentId: string; clientSecret: string }): Promise<string | undefined> {
    const response = await fetch(`${system.bffUrl}/api/payments/${payment.paymentId}`, { headers: { authorization: `Bearer ${payment.clientSecret}` } });
    return response.ok ? ((await response.json()) as { status: string }).status : undefined;
  }

  /** Every CONNECT and EVENT packet of the main namespace that reaches a client, whatever the client then does with it. */
  function packetsOf(manager: Manager): { connect?: { pid?: unknown }; events: unknown[][] } {
    const seen: { connect?: { pid?: unknown }; events: unknown[][] } = { events: [] };
    manager.on('packet', (packet: { type: number; nsp: string; data?: unknown }) => {
      if (packet.nsp !== '/') return;
      if (packet.type === 0) seen.connect = packet.data as { pid?: unknown };
      if (packet.type === 2) seen.events.push(packet.data as unknown[]);
    });
    return seen;
  }

  /** Connects with `auth` (a session to resume in it); how the handshake ended, and the events that came over the wire. */
  async function resume(auth: Record<string, string>): Promise<{ outcome: string; events: unknown[][] }> {
    const manager = new Manager(system.bffUrl, { transports: ['websocket'], reconnection: false, forceNew: true });
    const packets = packetsOf(manager);
    const socket = manager.socket('/', { auth });
    try {
      const outcome = await new Promise<string>((resolve) => {
        socket.on('connect', () => resolve('connected'));
        socket.on('connect_error', (err) => resolve(err.message));
      });
      await sleep(500); // anything sent right after the handshake
      return { outcome, events: packets.events };
    } finally {
      socket.close();
    }
  }

  it.each([
    ['a wrong secret', () => ({ clientSecret: 'not-the-secret-of-this-payment-at-all' })],
    ['no secret', () => ({})],
  ])("a client that claims a cut-off payer's session and offset with %s is refused and is sent none of the pushes the payer missed", async (_case, secret) => {
    const { payment, pid, offset } = await cutOffPayer();
    const attempt = await resume({ paymentId: payment.paymentId, ...secret(), pid, offset });
    expect(attempt.events).toEqual([]);
    expect(attempt.outcome).toMatch(/^(PAYMENT_NOT_FOUND|INVALID_AUTH)$/);
  });

  it("a client that claims a cut-off payer's session with the secret of another payment is refused and is sent none of its pushes", async () => {
    const { payment, pid, offset } = await cutOffPayer();
    const other = await pay(system.bffUrl);
    const attempt = await resume({ paymentId: other.paymentId, clientSecret: other.clientSecret, pid, offset });
    expect(attempt.events.filter((event) => JSON.stringify(event).includes(payment.paymentId))).toEqual([]);
    expect(attempt.outcome).toBe('PAYMENT_NOT_FOUND');
  });

  it('the payer itself resumes its session with its secret and is sent the pushes it missed, its SSO token opened', async () => {
    const { payment, pid, offset } = await cutOffPayer();
    const attempt = await resume({ paymentId: payment.paymentId, clientSecret: payment.clientSecret, pid, offset });
    expect(attempt.outcome).toBe('connected');
    const snapshots = attempt.events.map((event) => event[1] as PaymentSnapshot);
    // The missed push (confirmed) and then the snapshot on join (confirmed).
    expect(snapshots.map((snapshot) => snapshot.status)).toEqual(['confirmed', 'confirmed']);
    const [missed, joined] = [snapshots[0]!, snapshots[1]!];
    expect(missed.signIn?.ssoToken).toBe(joined.signIn?.ssoToken);
    expect((await signIn(missed.signIn!.landingUrl, missed.signIn!.ssoToken)).status).toBe(303);
  });
});

/** How often Redis has run `command` since it started (INFO commandstats). */
async function commandCalls(client: Redis, command: string): Promise<number> {
  const stats = await client.info('commandstats');
  return Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
}

/** Every key whose value (any type, raw bytes, or base64-decoded) contains `needle`. */
async function keysHolding(client: Redis, needle: string): Promise<string[]> {
  const wanted = Buffer.from(needle);
  const holds = (value: Buffer) => value.includes(wanted) || Buffer.from(value.toString('latin1'), 'base64').includes(wanted);
  const found: string[] = [];
  let scanned = 0;
  for await (const keys of client.scanBufferStream({ count: 1_000 })) {
    for (const key of keys as Buffer[]) {
      scanned++;
      const type = await client.type(key);
      let values: Buffer[] = [];
      if (type === 'string') values = [(await client.getBuffer(key)) ?? Buffer.alloc(0)];
      else if (type === 'hash')
        values = await client.hgetallBuffer(key).then((hash) => Object.entries(hash).flatMap(([field, value]) => [Buffer.from(field), value]));
      else if (type === 'list') values = await client.lrangeBuffer(key, 0, -1);
      else if (type === 'set') values = await client.smembersBuffer(key);
      else if (type === 'zset') values = await client.zrangeBuffer(key, '0', '-1');
      else if (type === 'stream') values = (await client.xrangeBuffer(key, '-', '+')).flatMap(([, fields]) => fields);
      if (values.some(holds)) found.push(`${type} ${key.toString()}`);
    }
  }
  expect(scanned).toBeGreaterThan(0);
  return found;
}
