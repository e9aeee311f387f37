import { z } from 'zod';
import { parseEnv, unsetIfEmpty } from '../lib/env.js';
import { configuredRedisUrl, redisEnvShape } from '../lib/redis-connection.js';

const REDIS_NODES_RANGE = 'must be 1 (one Redis) or 2 to 5 (a primary and replicas, behind three Sentinels; 3 runs as production does)';

/**
 * The variables that point payflow at a Kafka and a Redis someone else runs. Unset (or empty), the local
 * ones are used (lib/env.ts' envBrokers defaults to 127.0.0.1:9092 instead, which a process
 * needs but a launcher must be able to tell from "not configured").
 */
export const infraEnvShape = {
  KAFKA_BROKERS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((broker) => broker.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'each broker must be host:port')).min(1))
      .optional(),
  ),
  /** REDIS_URL (redis://, or redis+sentinel://host:port,…/name), or REDIS_SENTINELS with REDIS_SENTINEL_NAME: read them with configuredRedisUrl (lib/redis-connection.ts). */
  ...redisEnvShape,
  /**
   * How many nodes the local Kafka runs when KAFKA_BROKERS is unset: 1 (a laptop's default) or a
   * replicated cluster of 3 (topics at three replicas, two in sync), as production runs.
   */
  KAFKA_NODES: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).max(5).default(1)),
  /**
   * How many nodes the local Redis runs when no Redis is configured: 1 (a laptop's default), or a
   * primary and replicas behind three Sentinels (3: a primary and two replicas), as production runs.
   */
  REDIS_NODES: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1, REDIS_NODES_RANGE).max(5, REDIS_NODES_RANGE).default(1)),
};

export type InfraEnv = z.infer<z.ZodObject<typeof infraEnvShape>>;

/** The infrastructure variables of a harness or a launcher; a ConfigError naming each bad one. */
export function parseInfraEnv(env: NodeJS.ProcessEnv): InfraEnv {
  const parsed = parseEnv(z.object(infraEnvShape), env);
  configuredRedisUrl(parsed);
  return parsed;
}
