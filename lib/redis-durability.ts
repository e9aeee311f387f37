import type { Redis } from 'ioredis';
import { z } from 'zod';
import { ConfigError } from './env.js';
import type { Logger } from './logger.js';
import { connectRedis } from './redis-connection.js';

/**
 * What the BFF does at start when Redis could lose its keys: `enforce` refuses to start, `warn`
 * logs it and starts. Unset: enforce with NODE_ENV=production, else warn.
 */
export const redisDurabilityEnvShape = {
  REDIS_DURABILITY_CHECK: z.enum(['enforce', 'warn']).optional(),
  NODE_ENV: z.string().optional(),
};

export type RedisDurabilityMode = 'enforce' | 'warn';

export function redisDurabilityMode(config: { REDIS_DURABILITY_CHECK?: RedisDurabilityMode | undefined; NODE_ENV?: string | undefined }): RedisDurabilityMode {
  return config.REDIS_DURABILITY_CHECK ?? (config.NODE_ENV === 'production' ? 'enforce' : 'warn');
}

/** The settings of a Redis that decide whether it keeps its keys, as CONFIG GET reads them. */
export interface RedisDurabilitySettings {
  maxmemoryPolicy: string;
  appendonly: string;
  /** RDB save points, e.g. "3600 1 300 100"; empty: none. */
  save: string;
}

export type RedisDurabilityDecision = { action: 'start' } | { action: 'warn' | 'refuse'; line: string };

/**
 * Whether to start on this Redis. A policy other than noeviction lets Redis drop keys when its
 * memory is full (volatile-* drops exactly the keys with a TTL, which are all of a payment's), and
 * without AOF or RDB save points a restart loses them all. The money is safe either way (the
 * paymentId of a keyed request is derived, server/payments/payment-id.ts), but a shopper's page
 * could lose its payment, or hear of it only from the next event. A Redis that does not let us read
 * its settings (many managed services refuse CONFIG) is only warned about: it cannot be judged.
 */
export function judgeRedisDurability(settings: RedisDurabilitySettings | { unreadable: string }, mode: RedisDurabilityMode): RedisDurabilityDecision {
  if ('unreadable' in settings) {
    return {
      action: 'warn',
      line: `could not read Redis' maxmemory-policy, appendonly and save (${settings.unreadable}); make sure it evicts nothing (maxmemory-policy noeviction) and persists its keys (appendonly yes, or RDB save points), or payments' keys may be lost`,
    };
  }
  const problems: string[] = [];
  if (settings.maxmemoryPolicy !== 'noeviction') {
    problems.push(`maxmemory-policy is ${settings.maxmemoryPolicy}, so Redis drops keys when its memory is full (set maxmemory-policy noeviction)`);
  }
  if (settings.appendonly !== 'yes' && settings.save.trim() === '') {
    problems.push('appendonly is no and there are no RDB save points, so a restart loses every key (set appendonly yes)');
  }
  if (problems.length === 0) return { action: 'start' };
  const line = `Redis may lose payments' keys: ${problems.join('; ')}`;
  return mode === 'enforce'
    ? { action: 'refuse', line: `${line}. Not starting: REDIS_DURABILITY_CHECK=enforce (the default with NODE_ENV=production)` }
    : { action: 'warn', line };
}

/**
 * Reads the settings of the Redis at `url` (the primary, when it is found through Sentinel) with CONFIG GET (one parameter per call: Redis before 7
 * takes one) on a connection of its own, and acts on the judgement: a warning is logged, a refusal
 * throws a ConfigError with its one line.
 */
export async function checkRedisDurability(url: string, mode: RedisDurabilityMode, logger: Logger): Promise<void> {
  const redis = connectRedis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  // Errors reach the CONFIG GET calls; an unreachable Redis is then only "could not read".
  redis.on('error', () => undefined);
  let settings: RedisDurabilitySettings | { unreadable: string };
  try {
    settings = await readSettings(redis);
  } finally {
    redis.disconnect();
  }
  const decision = judgeRedisDurability(settings, mode);
  if (decision.action === 'refuse') throw new ConfigError(decision.line, 'REDIS_MAY_LOSE_KEYS');
  if (decision.action === 'warn') logger.warn({ code: 'REDIS_MAY_LOSE_KEYS' }, decision.line);
}

async function readSettings(redis: Redis): Promise<RedisDurabilitySettings | { unreadable: string }> {
  try {
    const [maxmemoryPolicy, appendonly, save] = await Promise.all(['maxmemory-policy', 'appendonly', 'save'].map((name) => configValue(redis, name)));
    return { maxmemoryPolicy: maxmemoryPolicy!, appendonly: appendonly!, save: save! };
  } catch (err) {
    return { unreadable: `CONFIG GET: ${err instanceof Error ? err.message : String(err)}`.slice(0, 200) };
  }
}

async function configValue(redis: Redis, name: string): Promise<string> {
  const reply = (await redis.config('GET', name)) as unknown;
  const value = Array.isArray(reply) ? (reply as unknown[])[1] : undefined;
  if (typeof value !== 'string') throw new Error(`${name} is not among the settings Redis shows`);
  return value;
}
