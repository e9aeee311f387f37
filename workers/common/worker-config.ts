import { z } from 'zod';
import { ConfigError, envBrokers, envLogLevel, envPort, envPositiveInt } from '../../lib/env.js';
import { kafkaConnectionEnvShape } from '../../lib/kafka-connection.js';
import { topicDurabilityEnvShape } from '../../lib/kafka-topics.js';
import { envOtlpEndpoint } from '../../lib/tracing.js';

/** Variables every worker reads; each worker adds its downstream URL. */
export function workerEnvSchema(defaultPort: number) {
  return z.object({
    /** Port of /healthz and /metrics. */
    PORT: envPort(defaultPort),
    HOST: z.string().default('127.0.0.1'),
    KAFKA_BROKERS: envBrokers,
    ...kafkaConnectionEnvShape,
    KAFKA_TOPIC_PREFIX: z.string().default(''),
    TOPIC_PARTITIONS: envPositiveInt(6),
    ...topicDurabilityEnvShape,
    LOG_LEVEL: envLogLevel,
    OTEL_EXPORTER_OTLP_ENDPOINT: envOtlpEndpoint,
    /** How long one downstream call may take before it is abandoned and retried, in ms; default 5000. */
    DOWNSTREAM_TIMEOUT_MS: envPositiveInt(5_000),
    /** How long a step may keep failing before the shopper is told (PaymentDelayed), and how often again while it does, in ms; default 15000. */
    DELAY_NOTICE_AFTER_MS: envPositiveInt(15_000),
    /**
     * For tests only: shifts the wall clock this worker reads by this many ms (positive: ahead), as
     * a machine whose clock is off would; refused with NODE_ENV=production. Default 0.
     */
    CLOCK_OFFSET_MS: z.coerce.number().int().min(-MAX_CLOCK_OFFSET_MS).max(MAX_CLOCK_OFFSET_MS).default(0),
  });
}

/** A day: far beyond any skew a test needs. */
const MAX_CLOCK_OFFSET_MS = 86_400_000;

/**
 * The wall clock the worker reads (ms since the epoch): Date.now, shifted by CLOCK_OFFSET_MS. Throws
 * a ConfigError for a shift under NODE_ENV=production, where it could only be a mistake.
 */
export function workerWallClock(config: Pick<WorkerConfig, 'CLOCK_OFFSET_MS' | 'NODE_ENV'>): () => number {
  const offset = config.CLOCK_OFFSET_MS;
  if (offset === 0) return Date.now;
  if (config.NODE_ENV === 'production') {
    throw new ConfigError(
      `invalid configuration: CLOCK_OFFSET_MS: shifts the clock for tests only and is refused with NODE_ENV=production; unset it (got ${offset})`,
    );
  }
  return () => Date.now() + offset;
}

export type WorkerConfig = z.infer<ReturnType<typeof workerEnvSchema>>;
