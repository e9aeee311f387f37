/**
 * Vitest global setup of the integration tier: a real Kafka and a real Redis for the whole run,
 * started in a temporary directory on free ports, so a run never touches `npm start`'s data and
 * two runs can share a machine. KAFKA_BROKERS / REDIS_URL (or REDIS_SENTINELS) point the tests at
 * running ones instead; KAFKA_NODES=3 runs them on a replicated three-node Kafka cluster, and
 * REDIS_NODES=3 on a replicated Redis (a primary, two replicas, three Sentinels: redisUrl is then a
 * redis+sentinel:// URL, which lib/redis-connection.ts' connectRedis reads).
 * Tests read the addresses with `inject('kafkaBrokers')` and `inject('redisUrl')`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { parseInfraEnv } from '../../infra/infra-env.js';
import { freePorts } from '../../infra/free-port.js';
import { pairedNodePorts, startInfrastructure } from '../../infra/local-infra.js';
import { redisPortCount, redisPortsFrom } from '../../infra/redis/redis-ports.js';
import { createConsoleLogger } from '../../scripts/log-output.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = parseInfraEnv(process.env);
  const log = createConsoleLogger('test-infra', process.env['TEST_LOG_LEVEL'] ?? 'info');
  const stateDir = await mkdtemp(join(tmpdir(), 'payflow-test-'));
  const redisPorts = redisPortCount(env.REDIS_NODES);
  const ports = await freePorts(redisPorts + 2 * env.KAFKA_NODES);
  const infra = await startInfrastructure({
    env,
    stateDir,
    kafkaNodes: pairedNodePorts(ports.slice(redisPorts)),
    redis: redisPortsFrom(ports.slice(0, redisPorts), env.REDIS_NODES),
    log,
  }).catch(async (err: unknown) => {
    await rm(stateDir, { recursive: true, force: true });
    throw err;
  });

  project.provide('kafkaBrokers', infra.kafkaBrokers);
  project.provide('redisUrl', infra.redisUrl);

  return async () => {
    await infra.stop();
    await rm(stateDir, { recursive: true, force: true });
  };
}
