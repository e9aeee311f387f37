import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError, envLogLevel, envPositiveInt, parseEnv } from '../lib/env.js';
import { infraEnvShape } from '../infra/infra-env.js';
import { configuredRedisUrl } from '../lib/redis-connection.js';
import { kafkaConnectionEnvShape } from '../lib/kafka-connection.js';
import { topicDurabilityEnvShape } from '../lib/kafka-topics.js';
import type { Scale } from './processes.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A port a process must listen on (0, "any free port", cannot be handed to another process). */
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
/** How many instances of a role to run. */
const instances = z.coerce.number().int().min(1).max(16);

const schema = z.object({
  ...infraEnvShape,
  /** TLS and SASL to the Kafka of KAFKA_BROKERS, for the launcher's topic set-up and every process it starts. */
  ...kafkaConnectionEnvShape,
  /**
   * Local Kafka's ports and local Redis' ports, used when KAFKA_BROKERS / REDIS_URL (or
   * REDIS_SENTINELS) are unset. With KAFKA_NODES > 1, node N listens on KAFKA_PORT + 2(N-1) and
   * KAFKA_CONTROLLER_PORT + 2(N-1); with REDIS_NODES > 1, Redis node N on REDIS_PORT + N-1 and the
   * three Sentinels on REDIS_SENTINEL_PORT … + 2.
   */
  KAFKA_PORT: port(9092),
  KAFKA_CONTROLLER_PORT: port(9093),
  REDIS_PORT: port(6379),
  REDIS_SENTINEL_PORT: port(26379),
  /** Where local Kafka and Redis keep data and logs. Default: .payflow/ in the repo (gitignored). */
  PAYFLOW_STATE_DIR: z.string().min(1).default(join(REPO_ROOT, '.payflow')),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  TOPIC_PARTITIONS: envPositiveInt(6),
  ...topicDurabilityEnvShape,
  LOG_LEVEL: envLogLevel,
  /** The port to open in a browser: the BFF's, or the load balancer's when BFF_REPLICAS > 1. */
  PORT: port(3000),
  /** BFF replicas; more than 1 puts them on PORT+1 … PORT+N behind a load balancer (HAProxy) on PORT. Default 1. */
  BFF_REPLICAS: instances.default(1),
  /** Instances of each worker, each on its own metrics port (base, base+10, base+20 …). Default 1. */
  WORKERS: instances.default(1),
  /** Instances of one worker; default WORKERS. */
  BILLING_WORKERS: instances.optional(),
  ORDER_WORKERS: instances.optional(),
  BILLING_GATES_PORT: port(4001),
  UDI_PORT: port(4002),
  SAAS_APP_PORT: port(4003),
  BILLING_WORKER_PORT: port(9101),
  ORDER_WORKER_PORT: port(9102),
});

export type StartConfig = z.infer<typeof schema>;

/** How many of each scaled role to run. */
export function scaleOf(config: StartConfig): Scale {
  return {
    bffReplicas: config.BFF_REPLICAS,
    billingWorkers: config.BILLING_WORKERS ?? config.WORKERS,
    orderWorkers: config.ORDER_WORKERS ?? config.WORKERS,
  };
}

/** The `npm start` launcher's configuration. Throws a ConfigError naming each bad variable. */
export function loadStartConfig(env: NodeJS.ProcessEnv): StartConfig {
  const config = parseEnv(schema, env);
  configuredRedisUrl(config);
  // Each partition has one consumer in a group: instances beyond the partition count would idle.
  const { billingWorkers, orderWorkers } = scaleOf(config);
  const needed = Math.max(billingWorkers, orderWorkers);
  if (config.TOPIC_PARTITIONS < needed) {
    throw new ConfigError(
      `invalid configuration: TOPIC_PARTITIONS: ${needed} instances of a worker need at least ${needed} partitions per topic, or some would get none (got "${config.TOPIC_PARTITIONS}")`,
    );
  }
  // The local Kafka speaks plaintext without authentication: the processes would fail to connect.
  const secured = (Object.keys(kafkaConnectionEnvShape) as Array<keyof typeof kafkaConnectionEnvShape>).find(
    (name) => config[name] !== undefined && config[name] !== false,
  );
  if (secured !== undefined && config.KAFKA_BROKERS === undefined) {
    throw new ConfigError(
      `invalid configuration: ${secured}: it is for a Kafka you run, but KAFKA_BROKERS is not set and the local Kafka npm start runs takes neither TLS nor SASL; set KAFKA_BROKERS or unset ${secured}`,
    );
  }
  return config;
}
