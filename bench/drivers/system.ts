import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { allTopicNames, topicsWithPrefix } from '../../contracts/index.js';
import { freePorts } from '../../infra/free-port.js';
import { startLocalKafka, type LocalKafka } from '../../infra/kafka/local-kafka.js';
import { parseInfraEnv } from '../../infra/infra-env.js';
import { startLocalRedisFor, type RunningLocalRedis } from '../../infra/redis/local-redis-for.js';
import { redisPortCount, redisPortsFrom } from '../../infra/redis/redis-ports.js';
import { ensureTopics } from '../../lib/kafka-topics.js';
import { createKafka } from '../../lib/kafka.js';
import { ONE_OF_EACH, payflowProcesses, portsFor } from '../../scripts/processes.js';
import { startProcess, waitReady, type RunningProcess } from '../../scripts/run-process.js';
import { REPO_ROOT } from '../../scripts/start-config.js';
import { startProcessSystem, type ProcessSystem } from '../../scripts/system-processes.js';
import type { MeasuredProcess } from '../measuring/cpu-meter.js';
import { redisCounter, type RedisCounter, type RedisCounts } from '../measuring/redis-commands.js';

/**
 * What the scenarios that only drive shoppers (steady, step, burst) need of a system: where the
 * shoppers go and what is read around each run. The bench's own system has all of it; a
 * deployment started elsewhere (bench/drivers/deployment.ts) what its URL and its owner's options give.
 */
export interface LoadTarget {
  /**
   * `bff` is what shoppers open: the BFF, or the load balancer in front of its replicas. `udi`
   * exchanges the tokens (--verify-token); `billingGates` and `udi` give the ledgers read after a
   * steady run; `baseline` serves the current flow.
   */
  urls: { bff: string; udi?: string | undefined; billingGates?: string | undefined; baseline?: string | undefined };
  /** The /metrics of each payflow process that talks to Kafka (every BFF replica), by process name. */
  metricsUrls: Record<string, string>;
  /** The system's Redis counters now (commands by name, socket reads and writes); null when it does not answer. */
  redisCounts: () => Promise<RedisCounts | null>;
  /** Every process of the system with its pid now (each BFF replica and the load balancer), for counting CPU per payment. */
  processes: () => MeasuredProcess[];
  /** The address each shopper comes from, by its index (X-Forwarded-For); none: the bench's own, the limits raised to let it through. */
  clientAddress?: ((index: number) => string) | undefined;
}

export interface BenchSystem extends LoadTarget {
  urls: { bff: string; baseline: string; billingGates: string; udi: string };
  /**
   * SIGTERM every worker process at once, as an orchestrator stopping them would, and wait until
   * each has exited (it finishes what it holds first). Resolves with how each exited and when.
   */
  stopWorkers: () => Promise<WorkerExit[]>;
  /** Start the workers again after stopWorkers, and wait until each is ready. */
  startWorkers: () => Promise<void>;
  stop: () => Promise<void>;
}

export interface WorkerExit {
  name: string;
  code: number | null;
  signal: string | null;
  /** From SIGTERM to the exit, ms. */
  ms: number;
}

export interface BenchSystemOptions {
  partitions: number;
  billingLatencyMs: number;
  udiLatencyMs: number;
  log: Logger;
  /** Folder for a CPU profile of each payflow process (`node --cpu-prof`); default none. */
  cpuProfDir?: string | undefined;
  /** Folder for heap snapshots, written by a process on SIGUSR2 (`node --heapsnapshot-signal`); default none. */
  heapSnapshotDir?: string | undefined;
  /** BFF replicas; more than 1 puts them behind the load balancer (HAProxy), as `npm start` with BFF_REPLICAS does; default 1. */
  bffReplicas?: number;
  /**
   * Redis nodes: 1, or a primary and replicas behind three Sentinels, which the BFF reaches through
   * Sentinel (what replication and WAIT cost); default REDIS_NODES, else 1.
   */
  redisNodes?: number;
}

/**
 * Everything both flows need, isolated on free ports: a Kafka broker and a Redis of its own, every
 * payflow process as a child process, and the synchronous baseline server beside them, which
 * calls the same two stand-ins. Processes log at `warn`, so log volume does not skew the figures.
 */
export async function startBenchSystem({
  partitions,
  billingLatencyMs,
  udiLatencyMs,
  log,
  cpuProfDir,
  heapSnapshotDir,
  bffReplicas = 1,
  redisNodes = parseInfraEnv(process.env).REDIS_NODES,
}: BenchSystemOptions): Promise<BenchSystem> {
  const stateDir = await mkdtemp(join(tmpdir(), 'payflow-bench-'));
  if (heapSnapshotDir !== undefined) await mkdir(heapSnapshotDir, { recursive: true });
  // Free ports for the replicas too: portsFor's own layout (the BFF's port + 1 …) may be taken.
  const redisPortTotal = redisPortCount(redisNodes);
  const [kafkaPort, controllerPort, bff, billingGates, udi, saasApp, billingWorker, orderWorker, baseline, ...more] = (await freePorts(
    9 + redisPortTotal + (bffReplicas > 1 ? bffReplicas : 0),
  )) as [number, number, number, number, number, number, number, number, number, ...number[]];
  const redisPorts = redisPortsFrom(more.slice(0, redisPortTotal), redisNodes);
  const ports = { ...portsFor({ bff, billingGates, udi, saasApp, billingWorker, orderWorker }, ONE_OF_EACH), bffReplicas: more.slice(redisPortTotal) };
  const local = (port: number) => `http://127.0.0.1:${port}`;
  let kafka: LocalKafka | undefined;
  let redis: RunningLocalRedis | undefined;
  let processes: ProcessSystem | undefined;
  let baselineProcess: RunningProcess | undefined;
  let counter: RedisCounter | undefined;
  const stop = async () => {
    counter?.close();
    await baselineProcess?.stop();
    await processes?.stop();
    await redis?.stop();
    await kafka?.stop();
    await rm(stateDir, { recursive: true, force: true });
  };

  try {
    [kafka, redis] = await Promise.all([
      startLocalKafka({ nodes: [{ port: kafkaPort, controllerPort }], home: join(stateDir, 'kafka'), log }),
      startLocalRedisFor(redisPorts, { home: join(stateDir, 'redis'), log }),
    ]);
    const topicPrefix = `bench-${randomUUID().slice(0, 8)}.`;
    await ensureTopics(createKafka({ clientId: 'bench', brokers: kafka.brokers, logger: log }), allTopicNames(topicsWithPrefix(topicPrefix)), { partitions });
    processes = await startProcessSystem({
      kafkaBrokers: kafka.brokers,
      redisUrl: redis.url,
      topicPrefix,
      topicPartitions: partitions,
      logLevel: 'warn',
      ports,
      stateDir,
      nodeArgs: [
        ...(cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`]),
        ...(heapSnapshotDir === undefined ? [] : ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${heapSnapshotDir}`]),
      ],
      env: {
        'billing-gates': { LATENCY_MS: String(billingLatencyMs) },
        udi: { LATENCY_MS: String(udiLatencyMs) },
        // Every shopper comes from 127.0.0.1: the per-IP limits would refuse most of them.
        bff: { PAYMENT_RATE_LIMIT_PER_MINUTE: '100000000', SOCKET_HANDSHAKES_PER_MINUTE: '100000000' },
      },
      log,
    });
    const spec = { name: 'baseline', entry: 'bench/baseline/main.ts', port: baseline, readyPath: '/healthz' as const, env: {} };
    baselineProcess = await startProcess(
      spec,
      { ...process.env, PORT: String(baseline), BILLING_GATES_URL: local(billingGates), UDI_URL: local(udi), LOG_LEVEL: 'warn' },
      REPO_ROOT,
    );
    await waitReady(baselineProcess, log, new Promise<never>(() => {}));
    const redisReadings = redisCounter(redis.url);
    counter = redisReadings;
    const started = { kafka, redis, processes, baseline: baselineProcess };
    // Every instance, so the same call serves a system started with several of each.
    const workers = processes.names.filter((name) => WORKER_ROLES.some((role) => name === role || name.startsWith(`${role}-`)));
    // Under each BFF's process name: `bff`, or `bff-1` … behind the load balancer (which has no /metrics).
    const bffMetrics = Object.fromEntries(payflowProcesses(ports).flatMap((spec) => (spec.role === 'bff' ? [[spec.name, `${local(spec.port)}/metrics`]] : [])));
    return {
      urls: { bff: local(bff), baseline: local(baseline), billingGates: local(billingGates), udi: local(udi) },
      metricsUrls: { ...bffMetrics, 'billing-worker': `${local(billingWorker)}/metrics`, 'order-worker': `${local(orderWorker)}/metrics` },
      redisCounts: () => redisReadings.read(),
      processes: () => measuredProcesses(started),
      stopWorkers: () => Promise.all(workers.map(async (name) => ({ name, ...exitOf(await started.processes.terminate(name)) }))),
      startWorkers: async () => {
        await Promise.all(workers.map((name) => started.processes.restart(name)));
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

const WORKER_ROLES = ['billing-worker', 'order-worker'];
const exitOf = ({ code, signal, ms }: { code: number | null; signal: string | null; ms: number }) => ({ code, signal, ms });
/** Ctrl-C or SIGTERM stops the system before the bench exits; the result stops listening. */
export function stopOnSignals(system: Pick<BenchSystem, 'stop'>): () => void {
  const stop = () => void system.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
}

/** The stand-ins' process names: what the tables count apart from the pipeline. */
export const STAND_INS: ReadonlySet<string> = new Set(['billing-gates', 'udi', 'saas-app']);
/** What shoppers talk to: listed first. */
const isFront = (name: string) => name === 'load-balancer' || name.startsWith('bff');

/** The pipeline first (BFF, workers, Kafka, Redis), then the stand-ins, then the baseline: the order of the tables. */
function measuredProcesses(started: { kafka: LocalKafka; redis: RunningLocalRedis; processes: ProcessSystem; baseline: RunningProcess }): MeasuredProcess[] {
  const fromSystem = [...started.processes.pids()];
  const named = (group: MeasuredProcess['group'], entries: [string, number | undefined][]) =>
    entries.flatMap(([name, pid]): MeasuredProcess[] => (pid === undefined ? [] : [{ name, group, pid }]));
  return [
    ...named(
      'pipeline',
      fromSystem.filter(([name]) => !STAND_INS.has(name)).sort(([a], [b]) => Number(!isFront(a)) - Number(!isFront(b))),
    ),
    ...named('pipeline', [
      ...started.kafka.nodes.map((node): [string, number | undefined] => [started.kafka.nodes.length === 1 ? 'kafka' : `kafka-${node.id}`, node.pid]),
      ...started.redis.processes().map(({ name, pid }): [string, number | undefined] => [name, pid]),
    ]),
    ...named(
      'stand-in',
      fromSystem.filter(([name]) => STAND_INS.has(name)),
    ),
    ...named('baseline', [['baseline', started.baseline.pid]]),
  ];
}
