import { z } from 'zod';
import { envBrokers, envLogLevel, envPort, envPositiveInt } from '../../lib/env.js';
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
  });
}

export type WorkerConfig = z.infer<ReturnType<typeof workerEnvSchema>>;
