import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newEvent, type NewEvent, type PaymentEvent, type PaymentSnapshot } from '../../contracts/index.js';
import { createLogger } from '../../lib/logger.js';
import { connectRedis } from '../../lib/redis-connection.js';
import { HistoryKeys } from '../../server/history/history-keys.js';
import { HistoryReader } from '../../server/history/history-reader.js';
import { PaymentHistory } from '../../server/history/payment-history.js';
import { acceptedSnapshot } from '../../server/status/project-snapshot.js';

let redis: Redis;
let keys: HistoryKeys;
let history: PaymentHistory;
let reader: HistoryReader;
const TTL_SECONDS = 3600;
beforeAll(() => {
  redis = connectRedis(inject('redisUrl'));
  keys = new HistoryKeys(`history-${randomUUID().slice(0, 8)}.`);
  history = new PaymentHistory(redis, keys, { ttlSeconds: TTL_SECONDS, entriesPerPayment: 5, paymentsPerEmail: 3 }, createLogger('test', 'silent'));
  reader = new HistoryReader(redis, keys, TTL_SECONDS);
});
afterAll(async () => {
  await redis?.quit();
});

const request = (email: string) => ({ planId: 'team', amount: { value: 2900, currency: 'EUR' }, customer: { email }, paymentMethod: { token: 'pm_card_ok' } });
const ev = (paymentId: string, fields: Omit<NewEvent, 'paymentId' | 'correlationId'>): PaymentEvent =>
  newEvent({ ...fields, paymentId, correlationId: 'c1' } as NewEvent);
const confirmed = (paymentId: string): PaymentSnapshot => ({ paymentId, status: 'confirmed', seq: 1, updatedAt: new Date().toISOString() });
const delayed = (paymentId: string, attempts: number) =>
  ev(paymentId, {
    type: 'PaymentDelayed',
    data: {
      step: 'charge',
      since: new Date().toISOString(),
      attempts,
      lastError: { code: 'HTTP_503', message: 'down' },
      notice: { code: 'BANK_SLOW', message: 'Your bank is not answering yet.' },
    },
  });

describe('the payment history in Redis', () => {
  it('an event redelivered, in the same batch or a later one, is recorded once', async () => {
    const paymentId = randomUUID();
    const failed = ev(paymentId, { type: 'PaymentFailed', data: { reason: { code: 'CARD_DECLINED', message: 'The card was declined.' } } });
    await Promise.all([history.eventRead(failed, null), history.eventRead(failed, null)]);
    await history.eventRead(failed, null);
    expect((await reader.timeline(paymentId)).map((entry) => entry.kind)).toEqual(['PaymentFailed']);
  });

  it('past the cap, the first entry stays and the oldest after it go; every key expires', async () => {
    const paymentId = randomUUID();
    await history.accepted(acceptedSnapshot(paymentId, new Date()), request('capped@example.com'));
    for (let attempts = 1; attempts <= 8; attempts++) await history.eventRead(delayed(paymentId, attempts), null);
    const timeline = await reader.timeline(paymentId);
    expect(timeline.map((entry) => (entry.kind === 'PaymentDelayed' ? entry.attempts : entry.kind))).toEqual(['accepted', 5, 6, 7, 8]);
    for (const key of [keys.entries(paymentId), keys.seen(paymentId), keys.email('capped@example.com')]) {
      expect(await redis.ttl(key)).toBeGreaterThan(TTL_SECONDS - 60);
    }
  });

  it('a payment counts as unfinished from its acceptance to its terminal status, also when the terminal status is recorded first', async () => {
    const before = (await reader.unfinished()).count;
    const [first, late] = [randomUUID(), randomUUID()];
    await history.accepted(acceptedSnapshot(first, new Date(Date.now() - 5_000)), request('first@example.com'));
    const counted = await reader.unfinished();
    expect(counted.count).toBe(before + 1);
    expect(counted.oldestAcceptedAtMs).toBeLessThanOrEqual(Date.now() - 5_000);
    await history.eventRead(
      ev(first, { type: 'OrderConfirmed', data: { orderId: 'o_1', encryptedSsoToken: 'sealed', ssoTokenExpiresAt: new Date().toISOString() } }),
      { from: 'paid', snapshot: confirmed(first) },
    );
    expect((await reader.unfinished()).count).toBe(before);

    // Another replica projected the outcome before this one wrote the acceptance.
    await history.eventRead(ev(late, { type: 'PaymentFailed', data: { reason: { code: 'CARD_DECLINED', message: 'Declined.' } } }), {
      from: 'processing',
      snapshot: { ...confirmed(late), status: 'failed' },
    });
    await history.accepted(acceptedSnapshot(late, new Date()), request('late@example.com'));
    expect((await reader.unfinished()).count).toBe(before);
  });

  it('an email lists its most recent payments, newest first, whatever the case it was typed in', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    for (const [i, paymentId] of ids.entries())
      await history.accepted(acceptedSnapshot(paymentId, new Date(Date.now() + i)), request(i % 2 === 0 ? 'Ada@Example.com' : 'ada@example.com'));
    expect(await reader.paymentsOf('ADA@example.com')).toEqual([ids[3], ids[2], ids[1]]);
  });
});
