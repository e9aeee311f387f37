/**
 * Vitest global setup of the integration tier: a real Kafka and a real Redis for the whole run,
 * started in a temporary directory on free ports, so a run never touches `npm start`'s data and
 * two runs can share a machine. KAFKA_BROKERS / REDIS_URL point the tests at running ones instead;
 * KAFKA_NODES=3 runs them on a replicated three-node cluster.
 * Tests read the addresses with `inject('kafkaBrokers')` and `inject('redisUrl')`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { z } from 'zod';
import { parseEnv } from '../../lib/env.js';
import { infraEnvShape } from '../../infra/infra-env.js';
import { freePorts } from '../../infra/free-port.js';
import { pairedNodePorts, startInfrastructure } from '../../infra/local-infra.js';
import { createConsoleLogger } from '../../scripts/log-output.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = parseEnv(z.object(infraEnvShape), process.env);
  const log = createConsoleLogger('test-infra', process.env['TEST_LOG_LEVEL'] ?? 'info');
  const stateDir = await mkdtemp(join(tmpdir(), 'payflow-test-'));
  const [redisPort, ...kafkaPorts] = (await freePorts(1 + 2 * env.KAFKA_NODES)) as [number, ...number[]];
  const infra = await startInfrastructure({
    env,
    stateDir,
    kafkaNodes: pairedNodePorts(kafkaPorts),
    redisPort,
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
