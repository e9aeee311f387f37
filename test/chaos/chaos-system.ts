import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allTopicNames, topicsWithPrefix, type Topics } from '../../contracts/index.js';
import { freePorts } from '../../infra/free-port.js';
import { startLocalKafka, type LocalKafka } from '../../infra/kafka/local-kafka.js';
import { startLocalRedis, type LocalRedis } from '../../infra/redis/local-redis.js';
import { createKafka, ensureTopics } from '../../lib/kafka.js';
import { createConsoleLogger } from '../../scripts/log-output.js';
import { startProcessSystem, type ProcessName, type ProcessSystem } from '../../scripts/system-processes.js';

export interface ChaosSystem {
  urls: { bff: string; billingGates: string; udi: string; billingWorker: string; orderWorker: string };
  kafkaBrokers: string[];
  topics: Topics;
  kill: (name: ProcessName) => Promise<void>;
  restart: (name: ProcessName) => Promise<void>;
  restartKafka: () => Promise<void>;
  restartRedis: () => Promise<void>;
  stop: () => Promise<void>;
}

const PARTITIONS = 6;

/**
 * The whole system as real processes on a Kafka broker and a Redis of its own, so that a test can
 * SIGKILL a worker or restart the broker without touching any other suite.
 */
export async function startChaosSystem(): Promise<ChaosSystem> {
  const log = createConsoleLogger('chaos', process.env['TEST_LOG_LEVEL'] ?? 'info');
  const stateDir = await mkdtemp(join(tmpdir(), 'payflow-chaos-'));
  const [kafkaPort, controllerPort, redisPort, bff, billingGates, udi, saasApp, billingWorker, orderWorker] = (await freePorts(9)) as [number, number, number, number, number, number, number, number, number];
  const startKafka = () => startLocalKafka({ port: kafkaPort, controllerPort, dataDir: join(stateDir, 'kafka', 'data'), log });
  const startRedis = () => startLocalRedis({ port: redisPort, dir: join(stateDir, 'redis', 'data'), log });

  let kafka: LocalKafka | undefined;
  let redis: LocalRedis | undefined;
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
    const topicPrefix = `chaos-${randomUUID().slice(0, 8)}.`;
    const topics = topicsWithPrefix(topicPrefix);
    await ensureTopics(createKafka({ clientId: 'chaos', brokers: kafka.brokers, logger: log }), allTopicNames(topics), PARTITIONS);
    const latency = { LATENCY_MS: '20' };
    processes = await startProcessSystem({
      kafkaBrokers: kafka.brokers,
      redisUrl: redis.url,
      topicPrefix,
      topicPartitions: PARTITIONS,
      logLevel: process.env['CHAOS_PROCESS_LOG_LEVEL'] ?? 'warn',
      ports: { bff, billingGates, udi, saasApp, billingWorker, orderWorker },
      env: {
        'billing-gates': latency,
        udi: latency,
        bff: { PAYMENT_RATE_LIMIT_PER_MINUTE: '1000000' },
        'order-worker': { ORDER_DEADLINE_MS: '30000' },
      },
      log,
    });
    const running = processes;
    const local = (port: number) => `http://127.0.0.1:${port}`;
    return {
      urls: { bff: local(bff), billingGates: local(billingGates), udi: local(udi), billingWorker: local(billingWorker), orderWorker: local(orderWorker) },
      kafkaBrokers: kafka.brokers,
      topics,
      kill: running.kill,
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
