import { execFile } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Logger } from '../../lib/logger.js';
import { InfraError } from '../infra-error.js';
import { requireTool } from '../require-tool.js';
import { spawnGuarded } from '../spawn-guarded.js';
import { tailFile } from '../tail-file.js';
import { waitUntil } from '../wait-until.js';
import { kafkaAnswers, kafkaServesClients } from './kafka-probe.js';
import { ensureKafkaJars } from './kafka-jars.js';
import { serverProperties } from './server-properties.js';

export { ensureKafkaJars, kafkaJarsDir, KAFKA_VERSION } from './kafka-jars.js';

const LOG4J_CONFIG = fileURLToPath(new URL('./log4j2.properties', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
/** A controlled shutdown of a single node takes a few seconds; longer means it is stuck. */
const STOP_GRACE_MS = 15_000;

const execFileAsync = promisify(execFile);

export interface LocalKafkaOptions {
  /** The PLAINTEXT port clients use. */
  port: number;
  /** The KRaft controller port. */
  controllerPort: number;
  /** The broker's log dir. server.properties and kafka.log go next to it, in its parent. */
  dataDir: string;
  log: Logger;
}

export interface LocalKafka {
  brokers: string[];
  /** The broker's JVM process id, e.g. for reading its CPU time in /proc. */
  pid: number | undefined;
  /** Sends a signal to the broker process, e.g. SIGSTOP/SIGCONT to freeze and resume it. */
  signal: (signal: NodeJS.Signals) => void;
  stop: () => Promise<void>;
}

/**
 * Runs a single-node Apache Kafka (KRaft) from the official jars with the local JDK, and resolves
 * once it answers metadata requests. Data in `dataDir` survives restarts.
 */
export async function startLocalKafka({ port, controllerPort, dataDir: rawDataDir, log }: LocalKafkaOptions): Promise<LocalKafka> {
  requireTool('java');
  const libs = await ensureKafkaJars(log);
  const classpath = `${libs}/*`;
  const dataDir = resolve(rawDataDir);
  const home = dirname(dataDir);
  const propertiesFile = join(home, 'server.properties');
  const logFile = join(home, 'kafka.log');
  const broker = `127.0.0.1:${port}`;

  await mkdir(dataDir, { recursive: true });
  await writeFile(propertiesFile, serverProperties({ port, controllerPort, dataDir }));
  await formatStorageOnce({ classpath, dataDir, propertiesFile });

  log.info({ broker, dataDir }, 'starting Kafka');
  const started = Date.now();
  const out = openSync(logFile, 'w'); // one start per file, so its tail explains this start
  const kafka = spawnGuarded(
    'java',
    ['-Xms512m', '-Xmx512m', `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`, '-cp', classpath, 'kafka.Kafka', propertiesFile],
    { stdio: ['ignore', out, out] },
  );
  closeSync(out); // the child has its own copy

  const result = await waitUntil({
    what: `Kafka on ${broker}`,
    check: async () => (await kafkaAnswers(broker, log)) && (await kafkaServesClients(broker, log)),
    timeoutMs: READY_TIMEOUT_MS,
    log,
    abandonWhen: kafka.exited,
  });
  if (result !== 'ready') {
    const exit = await kafka.stop(STOP_GRACE_MS);
    const why = result === 'timeout' ? `did not answer within ${READY_TIMEOUT_MS / 1000} s` : `exited (code ${exit.code ?? exit.signal ?? exit.error?.message})`;
    const tail = await tailFile(logFile);
    throw new InfraError(`Kafka on ${broker} ${why}; the end of ${logFile}:\n${tail || '(empty)'}`);
  }
  log.info({ broker, ms: Date.now() - started }, 'Kafka is ready');

  return {
    brokers: [broker],
    pid: kafka.child.pid,
    signal: kafka.signal,
    async stop() {
      log.info({ broker }, 'stopping Kafka');
      await kafka.stop(STOP_GRACE_MS);
    },
  };
}

/** KRaft refuses to start on an unformatted log dir; formatting an existing one would lose it. */
async function formatStorageOnce({ classpath, dataDir, propertiesFile }: { classpath: string; dataDir: string; propertiesFile: string }): Promise<void> {
  if (existsSync(join(dataDir, 'meta.properties'))) return;
  const java = (mainClass: string, args: string[]) =>
    execFileAsync('java', ['-Xmx256m', `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`, '-cp', classpath, mainClass, ...args]);
  try {
    const { stdout } = await java('kafka.tools.StorageTool', ['random-uuid']);
    const clusterId = stdout.trim();
    await java('kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', propertiesFile]);
  } catch (err) {
    const detail = err instanceof Error && 'stderr' in err ? String(err.stderr).trim() : String(err);
    throw new InfraError(`formatting Kafka storage in ${dataDir} failed: ${detail}`);
  }
}
