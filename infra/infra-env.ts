import { z } from 'zod';
import { unsetIfEmpty } from '../lib/env.js';

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
  REDIS_URL: z.preprocess(unsetIfEmpty, z.url().optional()),
  /**
   * How many nodes the local Kafka runs when KAFKA_BROKERS is unset: 1 (a laptop's default) or a
   * replicated cluster of 3 (topics at three replicas, two in sync), as production runs.
   */
  KAFKA_NODES: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).max(5).default(1)),
};
