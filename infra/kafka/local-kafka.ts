import { closeSync, openSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from '../../lib/logger.js';
import { InfraError } from '../infra-error.js';
import { requireTool } from '../require-tool.js';
import { spawnGuarded, type GuardedChild } from '../spawn-guarded.js';
import { tailFile } from '../tail-file.js';
import { waitUntil } from '../wait-until.js';
import { clusterBrokerCount, kafkaAnswers, kafkaServesClients } from './kafka-probe.js';
import { ensureKafkaJars } from './kafka-jars.js';
import { formatStorageOnce } from './kafka-storage.js';
import { LOG4J_CONFIG } from './log4j-config.js';
import { quorumLeader } from './quorum-state.js';
import { serverProperties, type KafkaNodePorts } from './server-properties.js';

export { ensureKafkaJars, kafkaJarsDir, KAFKA_VERSION } from './kafka-jars.js';
export type { KafkaNodePorts } from './server-properties.js';

const READY_TIMEOUT_MS = 90_000;
/** A controlled shutdown takes a few seconds; longer means it is stuck (e.g. the quorum is gone). */
const STOP_GRACE_MS = 15_000;
/** One node alone has the machine's memory to itself; three share 2 cores and each gets less. */
const HEAP_ONE_NODE = '512m';
const HEAP_PER_NODE_OF_SEVERAL = '384m';

export interface LocalKafkaOptions {
  /** One entry per node: one node, or three for a replicated cluster. */
  nodes: KafkaNodePorts[];
  /** Where the cluster keeps its data and logs: `<home>/data` for a single node, `<home>/node-N/data` for node N of several. */
  home: string;
  /** Who may log in on the nodes' SASL listeners (KafkaNodePorts.saslPort), name → password; default nobody. */
  saslUsers?: Record<string, string>;
  log: Logger;
}

export interface LocalKafkaNode {
  /** The node's id, 1 … nodes. */
  id: number;
  broker: string;
  /** The node's JVM process id while it runs, e.g. for reading its CPU time in /proc. */
  readonly pid: number | undefined;
  /** Sends a signal to the node, e.g. SIGSTOP/SIGCONT to freeze and resume it; no-op when it is not running. */
  signal: (signal: NodeJS.Signals) => void;
  /** SIGKILL, as a crash would; resolves once it has exited. */
  kill: () => Promise<void>;
  /** Starts the node again on its data (after kill or stop); resolves once it serves and the cluster lists it again. */
  start: () => Promise<void>;
  stop: () => Promise<void>;
}

export interface LocalKafka {
  /** Every node's client address, node 1 first. */
  brokers: string[];
  nodes: LocalKafkaNode[];
  /** The JVM process ids of the nodes that run. */
  pids: () => number[];
  /** Sends a signal to every node, e.g. SIGSTOP/SIGCONT to freeze and resume the whole cluster. */
  signal: (signal: NodeJS.Signals) => void;
  /** The id of the node that leads the controller quorum, as the nodes' own quorum state says. */
  quorumLeader: () => Promise<number | undefined>;
  /** Stops every node; resolves once all have exited. */
  stop: () => Promise<void>;
}

interface NodeFiles {
  dataDir: string;
  propertiesFile: string;
  logFile: string;
}

/**
 * Runs Apache Kafka (KRaft) from the official jars with the local JDK: one node, or a replicated
 * cluster of several on this machine, each node broker and controller in one process with its own
 * ports and data dir, all formatted with one cluster id. Resolves once every node answers, the
 * quorum has registered every broker, and consumer groups and idempotent producers are served.
 * Data survives restarts.
 */
export async function startLocalKafka({ nodes: ports, home: rawHome, saslUsers, log }: LocalKafkaOptions): Promise<LocalKafka> {
  if (ports.length === 0) throw new InfraError('a Kafka cluster needs at least one node');
  requireTool('java');
  const libs = await ensureKafkaJars(log);
  const classpath = `${libs}/*`;
  const home = resolve(rawHome);
  const brokers = ports.map(({ port }) => `127.0.0.1:${port}`);
  const heap = ports.length === 1 ? HEAP_ONE_NODE : HEAP_PER_NODE_OF_SEVERAL;
  const files: NodeFiles[] = ports.map((_, index) => {
    const nodeHome = ports.length === 1 ? home : join(home, `node-${index + 1}`);
    return { dataDir: join(nodeHome, 'data'), propertiesFile: join(nodeHome, 'server.properties'), logFile: join(nodeHome, 'kafka.log') };
  });

  await Promise.all(files.map(({ dataDir }) => mkdir(dataDir, { recursive: true })));
  await Promise.all(
    files.map(({ dataDir, propertiesFile }, index) => writeFile(propertiesFile, serverProperties({ nodeId: index + 1, nodes: ports, dataDir, saslUsers }))),
  );
  await formatStorageOnce(classpath, files);

  const what = ports.length === 1 ? `Kafka on ${brokers[0]}` : `the ${ports.length}-node Kafka cluster on ${brokers.join(', ')}`;
  log.info({ brokers, home }, `starting ${what}`);
  const started = Date.now();
  const children: Array<GuardedChild | undefined> = files.map(() => undefined);
  const spawnNode = (index: number) => {
    const { propertiesFile, logFile } = files[index]!;
    const out = openSync(logFile, 'w'); // one start per file, so its tail explains this start
    const child = spawnGuarded(
      'java',
      [`-Xms${heap}`, `-Xmx${heap}`, `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`, '-cp', classpath, 'kafka.Kafka', propertiesFile],
      {
        stdio: ['ignore', out, out],
      },
    );
    closeSync(out); // the child has its own copy
    children[index] = child;
    return child;
  };
  const stopNode = async (index: number, how: 'stop' | 'kill') => {
    const child = children[index];
    children[index] = undefined;
    if (child !== undefined) await (how === 'kill' ? child.kill() : child.stop(STOP_GRACE_MS));
  };
  const stopAll = () => Promise.all(files.map((_, index) => stopNode(index, 'stop'))).then(() => undefined);
  /** Why `what` did not come up, with the end of each log of the nodes concerned. */
  const failure = async (result: 'timeout' | 'abandoned', indexes: number[]) => {
    const why = result === 'timeout' ? `did not answer within ${READY_TIMEOUT_MS / 1000} s` : 'exited';
    const tails = await Promise.all(
      indexes.map(async (index) => `the end of ${files[index]!.logFile}:\n${(await tailFile(files[index]!.logFile)) || '(empty)'}`),
    );
    return new InfraError(`${what} ${why}; ${tails.join('\n')}`);
  };

  const all = files.map((_, index) => spawnNode(index));
  const result = await waitUntil({
    what,
    check: async () =>
      (await everyAnswers(brokers, log)) && (await clusterBrokerCount(brokers, log)) === ports.length && (await kafkaServesClients(brokers, log)),
    timeoutMs: READY_TIMEOUT_MS,
    log,
    abandonWhen: Promise.race(all.map((child) => child.exited)),
  });
  if (result !== 'ready') {
    const error = await failure(
      result,
      files.map((_, index) => index),
    );
    await stopAll();
    throw error;
  }
  log.info({ brokers, ms: Date.now() - started }, ports.length === 1 ? 'Kafka is ready' : `the ${ports.length}-node Kafka cluster is ready`);

  const nodes = ports.map((_, index): LocalKafkaNode => {
    const id = index + 1;
    const broker = brokers[index]!;
    return {
      id,
      broker,
      get pid() {
        return children[index]?.child.pid;
      },
      signal: (signal) => children[index]?.signal(signal),
      kill: () => stopNode(index, 'kill'),
      stop: () => stopNode(index, 'stop'),
      async start() {
        if (children[index] !== undefined) return;
        log.info({ broker, node: id }, 'starting Kafka node');
        const child = spawnNode(index);
        const restarted = await waitUntil({
          what: `Kafka node ${id} on ${broker}`,
          check: async () => (await kafkaAnswers(broker, log)) && (await clusterBrokerCount(brokers, log)) === ports.length,
          timeoutMs: READY_TIMEOUT_MS,
          log,
          abandonWhen: child.exited,
        });
        if (restarted !== 'ready') throw await failure(restarted, [index]);
        log.info({ broker, node: id }, 'Kafka node is back');
      },
    };
  });

  return {
    brokers,
    nodes,
    pids: () => children.flatMap((child) => (child?.child.pid === undefined ? [] : [child.child.pid])),
    signal: (signal) => {
      for (const child of children) child?.signal(signal);
    },
    quorumLeader: () => quorumLeader(files.map(({ dataDir }) => dataDir)),
    async stop() {
      log.info({ brokers }, ports.length === 1 ? 'stopping Kafka' : 'stopping the Kafka cluster');
      await stopAll();
    },
  };
}

async function everyAnswers(brokers: string[], log: Logger): Promise<boolean> {
  const answers = await Promise.all(brokers.map((broker) => kafkaAnswers(broker, log)));
  return answers.every(Boolean);
}
