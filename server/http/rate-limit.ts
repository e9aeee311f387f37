import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { ApiError } from './api-error.js';

/**
 * Fixed one-minute window per client IP, counted in Redis so the limit holds across BFF
 * replicas. When Redis cannot be reached the request is let through: the limit protects
 * the system, and refusing payments because a counter is unavailable would hurt shoppers more.
 */
export function rateLimitPerMinute(redis: Redis, limit: number, name: string): RequestHandler {
  return async (req, _res, next) => {
    const windowStart = Math.floor(Date.now() / 60_000);
    const key = `payflow:ratelimit:${name}:${req.ip ?? 'unknown'}:${windowStart}`;
    let count: number;
    try {
      const results = await redis.multi().incr(key).expire(key, 61).exec();
      count = Number(results?.[0]?.[1] ?? 0);
    } catch {
      next();
      return;
    }
    if (count > limit) {
      const retryAfter = Math.max(1, Math.ceil(((windowStart + 1) * 60_000 - Date.now()) / 1000));
      next(new ApiError(429, 'TOO_MANY_REQUESTS', `Too many payment attempts; try again in ${retryAfter} s.`, undefined, { 'Retry-After': String(retryAfter) }));
      return;
    }
    next();
  };
}
