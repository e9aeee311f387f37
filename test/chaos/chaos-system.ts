import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allTopicNames, topicsWithPrefix, type Topics } from '../../contracts/index.js';
import { freePorts } from '../../infra/free-port.js';
import { parseInfraEnv } from '../../infra/infra-env.js';
import { startLocalKafka, type LocalKafka } from '../../infra/kafka/local-kafka.js';
import { minInsyncReplicasFor } from '../../infra/kafka/server-properties.js';
import { pairedNodePorts } from '../../infra/local-infra.js';
import { InfraError } from '../../infra/infra-error.js';
import type { LocalRedisSet, SentinelTiming } from '../../infra/redis/local-redis-set.js';
import { startLocalRedisFor, type RunningLocalRedis } from '../../infra/redis/local-redis-for.js';
import { redisPortCount, redisPortsFrom } from '../../infra/redis/redis-ports.js';
import { createKafka } from '../../lib/kafka.js';
import { createTopicsServed, ensureTopics } from '../../lib/kafka-topics.js';
import { createConsoleLogger } from '../../scripts/log-output.js';
import { ONE_OF_EACH, type Ports, type Scale } from '../../scripts/processes.js';
import { startProcessSystem, type ProcessName, type ProcessSystem } from '../../scripts/system-processes.js';

export interface ChaosSystem {
  /** `bff` is the load balancer when there are replicas; `replicas` and `billingWorkers` list every instance. */
  urls: { bff: string; billingGates: string; udi: string; saasApp: string; replicas: string[]; billingWorkers: string[]; orderWorkers: string[] };
  kafkaBrokers: string[];
  /** The Kafka nodes, e.g. to kill one of a cluster; replaced by restartKafka. */
  readonly kafka: LocalKafka;
  /** What every process connects to: `redis://` for one node, `redis+sentinel://` for a replicated set. */
  redisUrl: string;
  /**
   * The replicated Redis (redisNodes > 1): its primary now, kill, SIGSTOP/SIGCONT or restart a node
   * or a Sentinel, wait for a failover. Replaced by restartRedis. Throws with one node.
   */
  readonly redisSet: LocalRedisSet;
  topics: Topics;
  kill: (name: ProcessName) => Promise<void>;
  /** SIGSTOP / SIGCONT one process: it keeps its sockets but runs nothing, as in a long GC pause. */
  pause: (name: ProcessName) => void;
  resume: (name: ProcessName) => void;
  /** SIGSTOP / SIGCONT every Kafka node: connections stay open, requests are read only once they resume. */
  pauseKafka: () => void;
  resumeKafka: () => void;
  terminate: ProcessSystem['terminate'];
  restart: (name: ProcessName) => Promise<void>;
  restartKafka: () => Promise<void>;
  /** Stops Redis and starts it again on its data: the one node, or the whole set (from the primary its Sentinels named last). */
  restartRedis: () => Promise<void>;
  stop: () => Promise<void>;
}

const PARTITIONS = 6;
/**
 * A primary silent for 1.5 s is failed over, so a scenario's failover takes seconds, not the 5 s
 * and more of npm start. Shorter would leave little room for a loaded machine's pauses.
 */
export const CHAOS_SENTINEL_TIMING: SentinelTiming = { downAfterMs: 1_500, failoverTimeoutMs: 5_000 };

export interface ChaosSystemOptions {
  /** Names the logs and the temporary directory. */
  suite?: string;
  scale?: Scale;
  /** Kafka nodes; default KAFKA_NODES, else 1. */
  kafkaNodes?: number;
  /** Redis nodes: 1, or a primary and replicas behind three Sentinels; default REDIS_NODES, else 1. */
  redisNodes?: number;
  /** How soon a replicated Redis' Sentinels fail a silent primary over; default CHAOS_SENTINEL_TIMING. */
  sentinelTiming?: Partial<SentinelTiming>;
  /**
   * The replicas of every partition of payments.initiated, in order of preference: the first one
   * leads while it is up. Unset, Kafka spreads the leaders.
   */
  paymentsInitiatedReplicas?: number[];
}

/**
 * The whole system as real processes on a Kafka (one node, or a cluster) and a Redis of its own,
 * so that a test can SIGKILL a worker or a broker without touching any other suite. With `scale`,
 * several BFF replicas behind the load balancer, and several instances of each worker.
 */
export async function startChaosSystem({
  suite = 'chaos',
  scale = ONE_OF_EACH,
  kafkaNodes = parseInfraEnv(process.env).KAFKA_NODES,
  redisNodes = parseInfraEnv(process.env).REDIS_NODES,
  sentinelTiming = CHAOS_SENTINEL_TIMING,
  paymentsInitiatedReplicas,
}: ChaosSystemOptions = {}): Promise<ChaosSystem> {
  const log = createConsoleLogger(suite, process.env['TEST_LOG_LEVEL'] ?? 'info');
  const stateDir = await mkdtemp(join(tmpdir(), `payflow-${suite}-`));
  const [bff, billingGates, udi, saasApp, ...scaled] = await freePorts(
    4 + redisPortCount(redisNodes) + 2 * kafkaNodes + scale.bffReplicas + scale.billingWorkers + scale.orderWorkers,
  );
  const take = (count: number) => scaled.splice(0, count);
  const redisPorts = redisPortsFrom(take(redisPortCount(redisNodes)), redisNodes);
  const kafkaPorts = pairedNodePorts(take(2 * kafkaNodes));
  const ports: Ports = {
    bff: bff!,
    bffReplicas: scale.bffReplicas > 1 ? take(scale.bffReplicas) : [],
    billingGates: billingGates!,
    udi: udi!,
    saasApp: saasApp!,
    billingWorkers: take(scale.billingWorkers),
    orderWorkers: take(scale.orderWorkers),
  };
  const startKafka = () => startLocalKafka({ nodes: kafkaPorts, home: join(stateDir, 'kafka'), log });
  const startRedis = () => startLocalRedisFor(redisPorts, { home: join(stateDir, 'redis'), timing: sentinelTiming, log });

  let kafka: LocalKafka | undefined;
  let redis: RunningLocalRedis | undefined;
  let processes: ProcessSystem | undefined;
  const stop = async () => {
    await processes?.stop();
    await redis?.stop();
    await kafka?.stop();
    await rm(stateDir, { recursive: true, force: true });
  };

  try {
    kafka = await startKafka();
    redis = await startRedis();
    const topicPrefix = `${suite}-${randomUUID().slice(0, 8)}.`;
    const topics = topicsWithPrefix(topicPrefix);
    const admin = createKafka({ clientId: suite, brokers: kafka.brokers, logger: log });
    if (paymentsInitiatedReplicas !== undefined) await createLedTopic(admin, topics.paymentsInitiated, paymentsInitiatedReplicas);
    await ensureTopics(admin, allTopicNames(topics), { partitions: PARTITIONS });
    const latency = { LATENCY_MS: '20' };
    processes = await startProcessSystem({
      kafkaBrokers: kafka.brokers,
      redisUrl: redis.url,
      topicPrefix,
      topicPartitions: PARTITIONS,
      logLevel: process.env['CHAOS_PROCESS_LOG_LEVEL'] ?? 'warn',
      ports,
      stateDir,
      env: {
        'billing-gates': latency,
        udi: latency,
        // Every client is 127.0.0.1: the per-address limits would refuse most of them.
        bff: { PAYMENT_RATE_LIMIT_PER_MINUTE: '1000000', SOCKET_HANDSHAKES_PER_MINUTE: '1000000' },
        'order-worker': { ORDER_DEADLINE_MS: '30000' },
      },
      log,
    });
    const running = processes;
    const local = (port: number) => `http://127.0.0.1:${port}`;
    return {
      urls: {
        bff: local(ports.bff),
        billingGates: local(ports.billingGates),
        udi: local(ports.udi),
        saasApp: local(ports.saasApp),
        replicas: (ports.bffReplicas.length > 0 ? ports.bffReplicas : [ports.bff]).map(local),
        billingWorkers: ports.billingWorkers.map(local),
        orderWorkers: ports.orderWorkers.map(local),
      },
      kafkaBrokers: kafka.brokers,
      get kafka() {
        return kafka!;
      },
      redisUrl: redis.url,
      get redisSet() {
        if (redis?.set === undefined) throw new InfraError(`this chaos system runs one Redis node: start it with redisNodes: 3 for a replicated set`);
        return redis.set;
      },
      topics,
      kill: running.kill,
      pause: (name) => running.signal(name, 'SIGSTOP'),
      resume: (name) => running.signal(name, 'SIGCONT'),
      pauseKafka: () => kafka?.signal('SIGSTOP'),
      resumeKafka: () => kafka?.signal('SIGCONT'),
      terminate: running.terminate,
      restart: running.restart,
      restartKafka: async () => {
        await kafka?.stop();
        kafka = await startKafka();
      },
      restartRedis: async () => {
        await redis?.stop();
        redis = await startRedis();
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Creates `topic` with every partition on `replicas` in that order, so the first one leads them all while it is up. */
async function createLedTopic(kafka: Kafka, topic: string, replicas: number[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsServed(admin, {
      topics: [
        {
          topic,
          replicaAssignment: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, replicas })),
          configEntries: [{ name: 'min.insync.replicas', value: String(minInsyncReplicasFor(replicas.length)) }],
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}
