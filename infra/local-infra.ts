import { join } from 'node:path';
import type { Logger } from '../lib/logger.js';
import { InfraError } from './infra-error.js';
import { kafkaAnswers } from './kafka/kafka-probe.js';
import { startLocalKafka } from './kafka/local-kafka.js';
import { isPortOpen } from './port-open.js';
import { redisAnswers } from './redis/redis-probe.js';
import { startLocalRedis } from './redis/local-redis.js';

export interface InfrastructureOptions {
  /** What the person configured; unset means "run one locally". */
  env: { KAFKA_BROKERS?: string[] | undefined; REDIS_URL?: string | undefined };
  /** Where local Kafka and Redis keep their data and logs (`kafka/`, `redis/`). */
  stateDir: string;
  /** Local Kafka's client port; its controller uses `kafkaControllerPort` (default kafkaPort + 1). */
  kafkaPort: number;
  kafkaControllerPort?: number;
  redisPort: number;
  log: Logger;
}

export interface Infrastructure {
  kafkaBrokers: string[];
  redisUrl: string;
  /** Stops what this call started; a Kafka or Redis that was already running is left alone. */
  stop: () => Promise<void>;
}

/** Where to reach one service, and how to stop it when we started it. */
interface Started<Address> {
  address: Address;
  stop?: () => Promise<void>;
}

/**
 * Kafka and Redis for one machine. Configured ones are used as they are; otherwise one already
 * answering on the local port is reused (a second `npm start`, a broker you run yourself), and
 * only when nothing answers there is one started.
 */
export async function startInfrastructure(options: InfrastructureOptions): Promise<Infrastructure> {
  const { env } = options;
  // Side by side: Kafka takes seconds, Redis a moment; neither needs the other.
  const [kafka, redis] = await Promise.allSettled([
    env.KAFKA_BROKERS ? configured(env.KAFKA_BROKERS) : localKafka(options),
    env.REDIS_URL ? configured(env.REDIS_URL) : localRedis(options),
  ]);

  const stop = async () => {
    if (redis.status === 'fulfilled') await redis.value.stop?.();
    if (kafka.status === 'fulfilled') await kafka.value.stop?.();
  };
  if (kafka.status === 'rejected') {
    await stop();
    throw kafka.reason;
  }
  if (redis.status === 'rejected') {
    await stop();
    throw redis.reason;
  }
  return { kafkaBrokers: kafka.value.address, redisUrl: redis.value.address, stop };
}

/** A service someone else runs: we only connect to it. */
function configured<Address>(address: Address): Started<Address> {
  return { address };
}

async function localKafka({ stateDir, kafkaPort, kafkaControllerPort, log }: InfrastructureOptions): Promise<Started<string[]>> {
  const broker = `127.0.0.1:${kafkaPort}`;
  if (await isPortOpen('127.0.0.1', kafkaPort)) {
    if (!(await kafkaAnswers(broker, log))) {
      throw new InfraError(`port ${kafkaPort} is in use by something that is not Kafka: stop it, or set KAFKA_PORT or KAFKA_BROKERS`);
    }
    log.info({ broker }, 'using the Kafka that is already running');
    return { address: [broker] };
  }
  const kafka = await startLocalKafka({
    port: kafkaPort,
    controllerPort: kafkaControllerPort ?? kafkaPort + 1,
    dataDir: join(stateDir, 'kafka', 'data'),
    log,
  });
  return { address: kafka.brokers, stop: kafka.stop };
}

async function localRedis({ stateDir, redisPort, log }: InfrastructureOptions): Promise<Started<string>> {
  const url = `redis://127.0.0.1:${redisPort}`;
  if (await isPortOpen('127.0.0.1', redisPort)) {
    if (!(await redisAnswers(url))) {
      throw new InfraError(`port ${redisPort} is in use by something that is not Redis: stop it, or set REDIS_PORT or REDIS_URL`);
    }
    log.info({ url }, 'using the Redis that is already running');
    return { address: url };
  }
  const redis = await startLocalRedis({ port: redisPort, dir: join(stateDir, 'redis', 'data'), log });
  return { address: redis.url, stop: redis.stop };
}
