import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../lib/logger.js';
import { InfraError } from '../infra-error.js';
import { requireTool } from '../require-tool.js';

/** Keep in step with infra/kafka/pom.xml. */
export const KAFKA_VERSION = '4.1.1';

const POM = fileURLToPath(new URL('./pom.xml', import.meta.url));
/** Written last, so a fetch that was interrupted is done again rather than trusted. */
const MARKER = '.complete';

/**
 * The per-user, per-version jar cache. It lives outside the clone so a fresh clone, or a second
 * one, does not fetch ~45 MB again.
 */
export function kafkaJarsDir(env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'payflow', `kafka-${KAFKA_VERSION}`, 'libs');
}

/**
 * Makes sure the Apache Kafka broker jars are in the cache and returns their directory (use
 * `<dir>/*` as the Java classpath). The first call fetches them with Maven; later calls return at once.
 */
export async function ensureKafkaJars(log: Logger): Promise<string> {
  const libs = kafkaJarsDir();
  if (existsSync(join(libs, MARKER))) return libs;

  requireTool('mvn');
  // Fetch into a private directory and rename it into place, so that two runs fetching at the
  // same time (npm start and npm test in a fresh clone) never see each other's half-copied jars.
  const partial = `${libs}.partial-${process.pid}`;
  await removeAbandonedFetches(libs);
  await mkdir(partial, { recursive: true });

  const started = Date.now();
  log.info(`fetching Apache Kafka ${KAFKA_VERSION} jars from Maven Central (once) …`);
  const progress = setInterval(() => {
    log.info(`fetching Apache Kafka ${KAFKA_VERSION} jars … ${Math.round((Date.now() - started) / 1000)} s`);
  }, 5_000);
  try {
    await runMaven(['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${partial}`, '-DincludeScope=runtime', '-f', POM]);
    await writeFile(join(partial, MARKER), `${new Date().toISOString()}\n`);
    if (existsSync(join(libs, MARKER))) {
      await rm(partial, { recursive: true, force: true }); // another run finished first: use its copy
    } else {
      await rm(libs, { recursive: true, force: true }); // the leftover of an interrupted fetch, if any
      await rename(partial, libs);
    }
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  } finally {
    clearInterval(progress);
  }
  log.info(`Apache Kafka ${KAFKA_VERSION} jars fetched in ${Math.round((Date.now() - started) / 1000)} s into ${libs}`);
  return libs;
}

/** Deletes the partial directories of fetches whose process is gone (killed mid-fetch). */
async function removeAbandonedFetches(libs: string): Promise<void> {
  const prefix = `${basename(libs)}.partial-`;
  const entries = await readdir(dirname(libs)).catch(() => []);
  for (const entry of entries) {
    const pid = Number(entry.slice(prefix.length));
    if (entry.startsWith(prefix) && !isAlive(pid)) await rm(join(dirname(libs), entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return false; // a leftover of an earlier process that had our pid
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs mvn; on failure throws with Maven's own output, which names the artifact or network error. */
function runMaven(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const mvn = spawn('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    mvn.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    mvn.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    mvn.once('error', reject);
    mvn.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new InfraError(`fetching the Kafka jars with Maven failed (exit ${code}):\n${output.trim().split('\n').slice(-20).join('\n')}`));
    });
  });
}
