import type { Redis } from 'ioredis';
import { TimelineEntry } from '../../contracts/index.js';
import type { HistoryKeys } from './history-keys.js';

/** Reads what PaymentHistory wrote. */
export class HistoryReader {
  constructor(
    private readonly redis: Redis,
    private readonly keys: HistoryKeys,
    /** The history's TTL: an unfinished payment older than this is no longer counted. */
    private readonly ttlSeconds: number,
  ) {}

  /** The payment's entries, oldest first (events of one payment travel on several topics, so they are written out of order). */
  async timeline(paymentId: string): Promise<TimelineEntry[]> {
    const raw = await this.redis.lrange(this.keys.entries(paymentId), 0, -1);
    return raw
      .flatMap((json) => {
        const parsed = TimelineEntry.safeParse(JSON.parse(json));
        return parsed.success ? [parsed.data] : [];
      })
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }

  /** The email's recent paymentIds, newest first. */
  paymentsOf(email: string): Promise<string[]> {
    return this.redis.zrevrange(this.keys.email(email), 0, -1);
  }

  /** Payments accepted and not yet in a terminal status, and when the oldest of them was accepted. */
  async unfinished(nowMs = Date.now()): Promise<{ count: number; oldestAcceptedAtMs: number | null }> {
    const since = nowMs - this.ttlSeconds * 1000;
    const [count, oldest] = await Promise.all([
      this.redis.zcount(this.keys.unfinished, since, '+inf'),
      this.redis.zrangebyscore(this.keys.unfinished, since, '+inf', 'WITHSCORES', 'LIMIT', 0, 1),
    ]);
    return { count, oldestAcceptedAtMs: oldest[1] === undefined ? null : Number(oldest[1]) };
  }
}
