import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { RedisScript } from '../../lib/redis-script.js';
import { ApiError } from './api-error.js';
import { rateLimitBucket } from './rate-limit-bucket.js';

/** One more hit in the window's counter; the first hit gives the key its expiry. One command instead of MULTI, INCR, EXPIRE, EXEC. */
const COUNT_HIT = new RedisScript(`
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
`);

/** A counter outlives its minute by a second, so a hit at the window's last instant still finds it. */
export const WINDOW_TTL_SECONDS = 61;

export interface MinuteWindow {
  /** The Redis key counting this minute's hits under the key the window was asked for. */
  counterKey: string;
  /** Seconds until the window ends. */
  retryAfter: number;
}

/** The fixed one-minute window `key` counts in now. */
export function minuteWindow(key: string): MinuteWindow {
  const window = Math.floor(Date.now() / 60_000);
  return { counterKey: `payflow:ratelimit:${key}:${window}`, retryAfter: Math.max(1, Math.ceil(((window + 1) * 60_000 - Date.now()) / 1000)) };
}

export interface WindowCount {
  count: number;
  /** Seconds until the current window ends. */
  retryAfter: number;
}

/**
 * Counts one more hit in a fixed one-minute window under `key`, in Redis, so the count holds
 * across BFF replicas. Resolves null when Redis cannot be reached: the limits protect the system,
 * and refusing shoppers because a counter is unavailable would hurt them more.
 */
export async function countInMinute(redis: Redis, key: string): Promise<WindowCount | null> {
  const { counterKey, retryAfter } = minuteWindow(key);
  try {
    const count = Number(await COUNT_HIT.run(redis, [counterKey], [WINDOW_TTL_SECONDS]));
    return { count, retryAfter };
  } catch {
    return null;
  }
}

/** The answer past a limit: 429 with Retry-After. */
export function tooManyRequests(retryAfter: number): ApiError {
  return new ApiError(429, 'TOO_MANY_REQUESTS', `Too many payment attempts; try again in ${retryAfter} s.`, undefined, { 'Retry-After': String(retryAfter) });
}

/** `limit` requests per client (its address, or its IPv6 /64) per minute; beyond, 429 with Retry-After. */
export function rateLimitPerMinute(redis: Redis, limit: number, name: string): RequestHandler {
  return async (req, _res, next) => {
    const counted = await countInMinute(redis, `${name}:${rateLimitBucket(req.ip ?? 'unknown')}`);
    if (counted !== null && counted.count > limit) {
      next(tooManyRequests(counted.retryAfter));
      return;
    }
    next();
  };
}
