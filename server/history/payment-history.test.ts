import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { newEvent, type NewEvent, type PaymentEvent } from '../../contracts/index.js';
import { createLogger } from '../../lib/logger.js';
import { acceptedSnapshot } from '../status/project-snapshot.js';
import { HistoryKeys } from './history-keys.js';
import { PaymentHistory } from './payment-history.js';

/** A Redis whose MULTI records the commands queued in it, one list per MULTI. */
function recordingRedis() {
  const multis: unknown[][][] = [];
  const redis = {
    defineCommand() {},
    multi() {
      const commands: unknown[][] = [];
      multis.push(commands);
      const chain = {
        payflowRecordHistory: (...args: unknown[]) => (commands.push(['script', ...args]), chain),
        zremrangebyscore: (...args: unknown[]) => (commands.push(['zremrangebyscore', ...args]), chain),
        exec: () => Promise.resolve(commands.map(() => [null, 1])),
      };
      return chain;
    },
  } as unknown as Redis;
  return { redis, multis };
}

const ev = (paymentId: string, fields: Omit<NewEvent, 'paymentId' | 'correlationId'>): PaymentEvent =>
  newEvent({ ...fields, paymentId, correlationId: 'c1' } as NewEvent);

describe('PaymentHistory', () => {
  it('writes what is recorded together in one MULTI, with one script call per payment', async () => {
    const { redis, multis } = recordingRedis();
    const history = new PaymentHistory(redis, new HistoryKeys('p.'), { ttlSeconds: 60 }, createLogger('test', 'silent'));
    const [a, b] = [randomUUID(), randomUUID()];
    const succeeded = ev(a, {
      type: 'PaymentSucceeded',
      data: { chargeId: 'ch_1', planId: 'team', amount: { value: 2900, currency: 'EUR' }, customer: { email: 'a@example.com' } },
    });
    const paid = { paymentId: a, status: 'paid' as const, seq: 1, updatedAt: new Date().toISOString() };
    await Promise.all([
      history.accepted(acceptedSnapshot(b, new Date()), {
        planId: 'team',
        amount: { value: 2900, currency: 'EUR' },
        customer: { email: 'b@example.com' },
        paymentMethod: { token: 'pm' },
      }),
      history.eventRead(succeeded, { from: 'processing', snapshot: paid }),
      history.eventRead(succeeded, null),
    ]);
    expect(multis).toHaveLength(1);
    const scripts = multis[0]!.filter(([name]) => name === 'script');
    // After the key count and the keys (four with an email's index, three without) comes the paymentId.
    expect(scripts.map((call) => call[2 + Number(call[1])])).toEqual([b, a]);
    expect(scripts.map((call) => call[1])).toEqual([4, 3]);
    expect(multis[0]!.filter(([name]) => name === 'zremrangebyscore')).toHaveLength(1); // an acceptance in the batch: old ones trimmed once
    const ofA = scripts[1]!.map(String);
    expect(ofA.filter((arg) => arg === succeeded.eventId)).toHaveLength(2); // its redelivery too: the script keeps one
    expect(ofA).toContain('status:1:paid');
  });

  it('a snapshot that changed without its status moving (a notice) records the event, and no status change', async () => {
    const { redis, multis } = recordingRedis();
    const history = new PaymentHistory(redis, new HistoryKeys(), { ttlSeconds: 60 }, createLogger('test', 'silent'));
    const paymentId = randomUUID();
    const delayed = ev(paymentId, {
      type: 'PaymentDelayed',
      data: {
        step: 'charge',
        since: new Date().toISOString(),
        attempts: 3,
        lastError: { code: 'HTTP_503', message: 'down' },
        notice: { code: 'BANK_SLOW', message: 'Your bank is not answering yet.' },
      },
    });
    const noticed = { paymentId, status: 'processing' as const, seq: 1, updatedAt: new Date().toISOString() };
    await history.eventRead(delayed, { from: 'processing', snapshot: noticed });
    const args = multis[0]![0]!.map(String);
    expect(args).toContain(delayed.eventId);
    expect(args.some((arg) => arg.startsWith('status:'))).toBe(false);
  });
});
