import { join } from 'node:path';
import type { Logger } from '../lib/logger.js';
import { DEFAULT_SENTINEL_NAME, sentinelUrl, type RedisAddressSettings } from '../lib/redis-connection.js';
import { configuredRedisUrl } from '../lib/redis-connection.js';
import { InfraError } from './infra-error.js';
import { kafkaAnswers } from './kafka/kafka-probe.js';
import { startLocalKafka, type KafkaNodePorts } from './kafka/local-kafka.js';
import { clusterBrokerCount } from './kafka/kafka-probe.js';
import { isPortOpen } from './port-open.js';
import { redisAnswers } from './redis/redis-probe.js';
import { startLocalRedisFor } from './redis/local-redis-for.js';
import type { LocalRedisPorts } from './redis/redis-ports.js';
import { sentinelView } from './redis/sentinel-probe.js';

export interface InfrastructureOptions {
  /** What the person configured; unset means "run one locally". */
  env: { KAFKA_BROKERS?: string[] | undefined } & RedisAddressSettings;
  /** Where local Kafka and Redis keep their data and logs (`kafka/`, `redis/`, `redis-3-nodes/` …). */
  stateDir: string;
  /** The ports of each local Kafka node: one, or three for a replicated cluster (see kafkaNodePorts). */
  kafkaNodes: KafkaNodePorts[];
  /** The ports of the local Redis: one node, or a replicated set's nodes and Sentinels (see redisPortsFor). */
  redis: LocalRedisPorts;
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
  const redisUrl = configuredRedisUrl(env);
  // Side by side: Kafka takes seconds, Redis a moment; neither needs the other.
  const [kafka, redis] = await Promise.allSettled([
    env.KAFKA_BROKERS ? configured(env.KAFKA_BROKERS) : localKafka(options),
    redisUrl !== undefined ? configured(redisUrl) : localRedis(options),
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

/** One Redis node, or a replicated set when `redis` lists several; reused when it already runs on those ports. */
async function localRedis(options: InfrastructureOptions): Promise<Started<string>> {
  const { stateDir, redis: ports, log } = options;
  const count = ports.nodes.length;
  const running = count === 1 ? await runningRedis(ports) : await runningRedisSet(ports);
  if (running !== undefined) {
    log.info({ url: running }, count === 1 ? 'using the Redis that is already running' : 'using the Redis set that is already running');
    return { address: running };
  }
  const redis = await startLocalRedisFor(ports, {
    // One node keeps the layout of earlier versions (redis/data); a set has its own home, so
    // switching REDIS_NODES never mixes one node's data with a set's.
    home: join(stateDir, count === 1 ? 'redis' : `redis-${count}-nodes`),
    log,
  });
  return { address: redis.url, stop: redis.stop };
}

/** The URL of the Redis already answering on the one node's port; undefined when the port is free. */
async function runningRedis({ nodes: [port] }: LocalRedisPorts): Promise<string | undefined> {
  if (port === undefined) throw new InfraError('no Redis node to start: REDIS_NODES must be at least 1');
  const url = `redis://127.0.0.1:${port}`;
  if (!(await isPortOpen('127.0.0.1', port))) return undefined;
  if (!(await redisAnswers(url))) throw new InfraError(`port ${port} is in use by something that is not Redis: stop it, or set REDIS_PORT or REDIS_URL`);
  return url;
}

/**
 * The URL of the replicated set already running on these ports (a second `npm start`): its first
 * Sentinel answers and names a primary among these nodes. Undefined when every port is free.
 */
async function runningRedisSet(ports: LocalRedisPorts): Promise<string | undefined> {
  const [sentinel] = ports.sentinels;
  if (sentinel === undefined) throw new InfraError("a replicated Redis needs its Sentinels' ports");
  const open = await Promise.all([...ports.nodes, ...ports.sentinels].map(async (port) => ((await isPortOpen('127.0.0.1', port)) ? [port] : [])));
  const [taken] = open.flat();
  if (taken === undefined) return undefined;
  const seen = await sentinelView(sentinel, DEFAULT_SENTINEL_NAME);
  if (seen === undefined || !ports.nodes.includes(seen.primaryPort)) {
    throw new InfraError(
      `port ${taken} is in use, but no Sentinel on ${sentinel} names a primary on ${ports.nodes.join(', ')}: stop what holds it, or set REDIS_PORT and REDIS_SENTINEL_PORT, or REDIS_URL`,
    );
  }
  const count = seen.replicas.length + 1;
  if (count !== ports.nodes.length) {
    throw new InfraError(
      `the Redis set already running with Sentinels on ${ports.sentinels.join(', ')} has ${count} node(s), not the ${ports.nodes.length} of REDIS_NODES=${ports.nodes.length}: stop it, or set REDIS_PORT and REDIS_SENTINEL_PORT, or REDIS_NODES`,
    );
  }
  return sentinelUrl(ports.sentinels.map((port) => ({ host: '127.0.0.1', port })));
}
