/**
 * The whole of payflow as real processes, the way `npm start` runs it, but private to one test
 * run: Kafka and Redis in a temporary directory, every port free, topics under their own prefix.
 * The browser reaches the BFF as shoppers do in production: two replicas behind the load balancer.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { allTopicNames, topicsWithPrefix } from '../contracts/index.js';
import { freePorts } from '../infra/free-port.js';
import type { InfraEnv } from '../infra/infra-env.js';
import { pairedNodePorts, startInfrastructure } from '../infra/local-infra.js';
import { redisPortCount, redisPortsFrom } from '../infra/redis/redis-ports.js';
import { createKafka } from '../lib/kafka.js';
import { ensureTopics } from '../lib/kafka-topics.js';
import type { Ports } from '../scripts/processes.js';
import { startProcessSystem } from '../scripts/system-processes.js';
import type { SystemUrls } from './system-urls.js';

export interface RunningSystem {
  urls: SystemUrls;
  stop(): Promise<void>;
}

export interface SystemOptions {
  /** Kafka and Redis someone else runs; unset, local ones are started. */
  infraEnv: InfraEnv;
  /** Level of the processes' own logs. */
  logLevel: string;
  log: Logger;
}

const PARTITIONS = 3;
/**
 * The workers tell the shopper of a step that keeps failing after 3 s here instead of 15 s
 * (DELAY_NOTICE_AFTER_MS), so the test of that notice waits seconds, not most of a minute. No
 * other test makes a step fail that long.
 */
const WORKER_ENV = { DELAY_NOTICE_AFTER_MS: '3000' };

type EightPorts = [number, number, number, number, number, number, number, number];

export async function startSystem({ infraEnv, logLevel, log }: SystemOptions): Promise<RunningSystem> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) {
      await step().catch((err: unknown) => log.error({ err }, 'stopping failed'));
    }
  };

  try {
    // All at once, so no two of them are the same port.
    const redisPorts = redisPortCount(infraEnv.REDIS_NODES);
    const [bff, bff1, bff2, billingGates, udi, saasApp, billingWorker, orderWorker, ...infraPorts] = (await freePorts(
      8 + redisPorts + 2 * infraEnv.KAFKA_NODES,
    )) as [...EightPorts, ...number[]];
    const ports: Ports = { bff, bffReplicas: [bff1, bff2], billingGates, udi, saasApp, billingWorkers: [billingWorker], orderWorkers: [orderWorker] };

    const stateDir = await mkdtemp(join(tmpdir(), 'payflow-e2e-'));
    stops.push(() => rm(stateDir, { recursive: true, force: true }));
    const infra = await startInfrastructure({
      env: infraEnv,
      stateDir,
      kafkaNodes: pairedNodePorts(infraPorts.slice(redisPorts)),
      redis: redisPortsFrom(infraPorts.slice(0, redisPorts), infraEnv.REDIS_NODES),
      log,
    });
    stops.push(infra.stop);

    const topicPrefix = `e2e-${randomUUID().slice(0, 8)}.`;
    const kafka = createKafka({ clientId: 'payflow-e2e', brokers: infra.kafkaBrokers, logger: log });
    await ensureTopics(kafka, allTopicNames(topicsWithPrefix(topicPrefix)), { partitions: PARTITIONS });

    // Tier by tier, as `npm start` does: the stand-ins, then the workers and the BFF replicas, then the load balancer.
    const processes = await startProcessSystem({
      kafkaBrokers: infra.kafkaBrokers,
      redisUrl: infra.redisUrl,
      topicPrefix,
      topicPartitions: PARTITIONS,
      logLevel,
      ports,
      env: { 'billing-worker': WORKER_ENV, 'order-worker': WORKER_ENV },
      stateDir,
      log,
    });
    stops.push(processes.stop);

    const local = (port: number) => `http://127.0.0.1:${port}`;
    return {
      urls: { bff: local(ports.bff), billingGates: local(ports.billingGates), udi: local(ports.udi), saasApp: local(ports.saasApp), redis: infra.redisUrl },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
