/**
 * `npm start`: the whole of payflow on this machine. Kafka and Redis (started locally unless
 * KAFKA_BROKERS / REDIS_URL or REDIS_SENTINELS are set), the topics, then every process, tier by tier, each tier
 * ready before the next (scripts/processes.ts: START_TIER). Ctrl-C stops all of it in reverse order.
 */
import type { Logger } from 'pino';
import { allTopicNames, topicsWithPrefix } from '../contracts/index.js';
import { ConfigError } from '../lib/env.js';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../lib/kafka.js';
import { kafkaConnection, type KafkaConnection } from '../lib/kafka-connection.js';
import { ensureTopics, partitionCounts, TopicDurabilityError } from '../lib/kafka-topics.js';
import { InfraError } from '../infra/infra-error.js';
import { kafkaNodePorts, startInfrastructure } from '../infra/local-infra.js';
import { redisPortsFor } from '../infra/redis/redis-ports.js';
import { createConsoleLogger } from './log-output.js';
import { portsFor, type Scale } from './processes.js';
import { describeExit } from './run-process.js';
import { loadStartConfig, scaleOf, type StartConfig } from './start-config.js';
import { StopLatch } from './stop-latch.js';
import { startProcessSystem } from './system-processes.js';

type Stop = () => Promise<unknown>;

async function main(): Promise<number> {
  let config: StartConfig;
  let connection: KafkaConnection;
  try {
    config = loadStartConfig(process.env);
    connection = kafkaConnection(config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`payflow: ${err.message}\n`);
    return 1;
  }
  const log = createConsoleLogger('payflow', config.LOG_LEVEL);
  const latch = new StopLatch();
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // Ctrl-C reaches us twice: from the terminal (the whole process group) and forwarded by npm.
    // Only a second press, a moment later, means "stop waiting".
    if (latch.requested && Date.now() - firstSignalAt < 1_000) return;
    if (latch.requested) {
      // A second Ctrl-C: stop waiting. The exit hooks of spawnGuarded SIGKILL every child.
      log.warn(`${signal} again: killing everything now`);
      process.exit(1);
    }
    firstSignalAt = Date.now();
    log.info(`${signal}: stopping payflow`);
    latch.request(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const stops: Stop[] = []; // whatever runs, in start order
  try {
    await startAll(config, connection, log, stops, latch);
    if (!latch.requested) log.info(`payflow is running: open http://127.0.0.1:${config.PORT}`);
  } catch (err) {
    // Both say in one line what to do: a port in use, a topic short of replicas …
    if (err instanceof TopicDurabilityError && config.KAFKA_BROKERS === undefined && config.KAFKA_NODES < 3) {
      log.error(`${err.message}; KAFKA_NODES=3 npm start runs three local Kafka nodes`);
    } else if (err instanceof InfraError || err instanceof ConfigError) log.error(err.message);
    else log.error({ err }, 'payflow failed to start');
    latch.request(1);
  }
  const { code } = await latch.promise;

  for (const stop of stops.reverse()) {
    await stop().catch((err: unknown) => log.error({ err }, 'stopping failed'));
  }
  log.info('payflow stopped');
  return code;
}

/** The processes get `connection`'s variables as they are: they inherit this environment. */
async function startAll(config: StartConfig, connection: KafkaConnection, log: Logger, stops: Stop[], latch: StopLatch): Promise<void> {
  const infra = await startInfrastructure({
    env: config,
    stateDir: config.PAYFLOW_STATE_DIR,
    kafkaNodes: kafkaNodePorts(config.KAFKA_NODES, config.KAFKA_PORT, config.KAFKA_CONTROLLER_PORT),
    redis: redisPortsFor(config.REDIS_NODES, config.REDIS_PORT, config.REDIS_SENTINEL_PORT),
    log,
  });
  stops.push(infra.stop);
  if (latch.requested) return;

  const kafka = createKafka({ clientId: 'payflow-start', brokers: infra.kafkaBrokers, connection, logger: log });
  const topics = allTopicNames(topicsWithPrefix(config.KAFKA_TOPIC_PREFIX));
  const durability = await ensureTopics(kafka, topics, { partitions: config.TOPIC_PARTITIONS, durability: config });
  const scale = scaleOf(config);
  await warnAboutIdleInstances(kafka, topics, scale, log);
  log.info(
    `topics are in place (${config.TOPIC_PARTITIONS} partitions each, ${durability.replicationFactor} replica(s), min.insync.replicas ${durability.minInsyncReplicas})`,
  );

  const system = await startProcessSystem({
    kafkaBrokers: infra.kafkaBrokers,
    redisUrl: infra.redisUrl,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    topicPartitions: config.TOPIC_PARTITIONS,
    logLevel: config.LOG_LEVEL,
    ports: portsFor(
      {
        bff: config.PORT,
        billingGates: config.BILLING_GATES_PORT,
        udi: config.UDI_PORT,
        saasApp: config.SAAS_APP_PORT,
        billingWorker: config.BILLING_WORKER_PORT,
        orderWorker: config.ORDER_WORKER_PORT,
      },
      scale,
    ),
    stateDir: config.PAYFLOW_STATE_DIR,
    log,
    abandonWhen: latch.promise,
    // Any exit we did not ask for takes the whole system down: a half-running checkout is worse
    // than none, as payments would wait in Kafka with nobody saying why.
    onUnexpectedExit: (name, exit) => {
      if (latch.requested) return;
      log.error(`${name} exited unexpectedly (${describeExit(exit)}); stopping everything`);
      latch.request(1);
    },
  });
  stops.push(system.stop);
}

/** Topics made before with fewer partitions keep them: say so when instances would sit idle. */
async function warnAboutIdleInstances(kafka: Kafka, topics: string[], scale: Scale, log: Logger): Promise<void> {
  const fewest = Math.min(...(await partitionCounts(kafka, topics)).values());
  for (const [role, count] of [
    ['BFF replicas (status consumers)', scale.bffReplicas],
    ['billing workers', scale.billingWorkers],
    ['order workers', scale.orderWorkers],
  ] as const) {
    if (count > fewest) log.warn(`${count} ${role} but some topics have only ${fewest} partitions: ${count - fewest} will consume nothing`);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`payflow: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
