import { join } from 'node:path';
import type { Logger } from '../lib/logger.js';
import { InfraError } from './infra-error.js';
import { kafkaAnswers } from './kafka/kafka-probe.js';
import { startLocalKafka, type KafkaNodePorts } from './kafka/local-kafka.js';
import { clusterBrokerCount } from './kafka/kafka-probe.js';
import { isPortOpen } from './port-open.js';
import { redisAnswers } from './redis/redis-probe.js';
import { startLocalRedis } from './redis/local-redis.js';

export interface InfrastructureOptions {
  /** What the person configured; unset means "run one locally". */
  env: { KAFKA_BROKERS?: string[] | undefined; REDIS_URL?: string | undefined };
  /** Where local Kafka and Redis keep their data and logs (`kafka/`, `redis/`). */
  stateDir: string;
  /** The ports of each local Kafka node: one, or three for a replicated cluster (see kafkaNodePorts). */
  kafkaNodes: KafkaNodePorts[];
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

async function localKafka({ stateDir, kafkaNodes, log }: InfrastructureOptions): Promise<Started<string[]>> {
  const first = kafkaNodes[0];
  if (first === undefined) throw new InfraError('no Kafka node to start: KAFKA_NODES must be at least 1');
  const broker = `127.0.0.1:${first.port}`;
  if (await isPortOpen('127.0.0.1', first.port)) {
    if (!(await kafkaAnswers(broker, log))) {
      throw new InfraError(`port ${first.port} is in use by something that is not Kafka: stop it, or set KAFKA_PORT or KAFKA_BROKERS`);
    }
    const running = await clusterBrokerCount([broker], log);
    if (running !== kafkaNodes.length) {
      throw new InfraError(
        `the Kafka already running on ${broker} has ${running} broker(s), not the ${kafkaNodes.length} of KAFKA_NODES=${kafkaNodes.length}: stop it, or set KAFKA_PORT or KAFKA_NODES`,
      );
    }
    log.info({ broker }, 'using the Kafka that is already running');
    return { address: [broker] };
  }
  const kafka = await startLocalKafka({
    nodes: kafkaNodes,
    // One node keeps the layout of earlier versions (kafka/data); a cluster has its own home, so
    // switching KAFKA_NODES never mixes the data of two clusters.
    home: join(stateDir, kafkaNodes.length === 1 ? 'kafka' : `kafka-${kafkaNodes.length}-nodes`),
    log,
  });
  return { address: kafka.brokers, stop: kafka.stop };
}

/**
 * The ports of `count` local Kafka nodes from the first node's: node N listens on
 * `port + 2(N-1)` and its controller on `controllerPort + 2(N-1)` (9092/9093, 9094/9095, …).
 */
export function kafkaNodePorts(count: number, port: number, controllerPort = port + 1): KafkaNodePorts[] {
  return Array.from({ length: count }, (_, index) => ({ port: port + 2 * index, controllerPort: controllerPort + 2 * index }));
}

/** Pairs free ports (as freePorts(2 × nodes) hands them out) into nodes' client and controller ports. */
export function pairedNodePorts(ports: number[]): KafkaNodePorts[] {
  const nodes: KafkaNodePorts[] = [];
  for (let index = 0; index + 1 < ports.length; index += 2) nodes.push({ port: ports[index]!, controllerPort: ports[index + 1]! });
  return nodes;
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
