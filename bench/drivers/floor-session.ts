/**
 * Runs the floor pipeline (../shared/perf-floor) the way its README says, `bash floor.sh RATE DUR`
 * from the project's root, once per rate, and reads the result file each run writes.
 *
 * The floor's Kafka and Redis are kept between the runs of one sitting (KEEP_INFRA=1 to floor.sh),
 * so each run after the first meets a broker whose JIT has already settled, and are stopped by
 * `stop()`, before payflow starts, so the two systems never compete for the cores. A person who
 * set KEEP_INFRA=1 themselves keeps them running. The floor runs from a copy of its own
 * (FLOOR_WORK) apart from the one a person runs by hand (/tmp/payflow-floor), so neither
 * overwrites the other's pid files or results.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { isPortOpen } from '../../infra/port-open.js';
import { spawnGuarded, type GuardedChild } from '../../infra/spawn-guarded.js';
import { forwardOutput } from '../../scripts/log-output.js';
import { parseFloorResult, type FloorRun } from '../measuring/floor-result.js';
import { FloorError } from './floor-error.js';

export interface FloorSessionOptions {
  /** The floor's folder, holding floor.sh. */
  dir: string;
  /** Where floor.sh copies the floor and runs it (FLOOR_WORK): its logs/, results/ and data/ are there. */
  work: string;
  /** The project whose node_modules the floor uses (PAYFLOW_DIR). */
  projectRoot: string;
  /** Seconds of warm-up at half the rate before each run's window (the floor's WARM). */
  warmUpS: number;
  /** The person set KEEP_INFRA=1: leave the floor's Kafka and Redis running at the end. */
  keepInfra: boolean;
  log: Logger;
}

export interface FloorSession {
  run: (rate: number, durationS: number) => Promise<FloorRun>;
  /** Stops a run in progress, then the floor's Kafka and Redis (unless the person keeps them). */
  stop: () => Promise<void>;
}

/**
 * The ports the floor listens on, fixed in its common.mjs and infra.sh. Kafka's and Redis' may be
 * held by this session's own infrastructure, left running by a person's KEEP_INFRA=1.
 */
const FLOOR_PORTS = [
  { port: 28080, what: "the floor's BFF" },
  { port: 28081, what: "the floor's stand-ins" },
  { port: 29092, what: "the floor's Kafka", infra: 'kafka' },
  { port: 29093, what: "the floor's Kafka controller", infra: 'kafka' },
  { port: 26379, what: "the floor's Redis", infra: 'redis' },
] as const;

/** What floor.sh reads from the environment to change what it measures or where it connects: the bench runs the floor as its README runs it. */
const FLOOR_KNOBS = new Set(['REDIS_URL', 'KAFKA_BROKER', 'BFF_PORT', 'STANDINS_PORT', 'CSR', 'COMMIT_INTERVAL_MS', 'PROFILE', 'PROFILE_WINDOW']);
/** Ahead of the warm-up and the window: Kafka's first start and the topics (setup.mjs allows 120 s), the apps (60 s), the drain (35 s). */
const RUN_SLACK_S = 240;
const STOP_GRACE_MS = 15_000;
const PROGRESS_EVERY_MS = 10_000;
const TAIL_LINES = 15;

export async function openFloorSession(options: FloorSessionOptions): Promise<FloorSession> {
  const { dir, work, projectRoot, warmUpS, keepInfra, log } = options;
  if (!existsSync(join(dir, 'floor.sh'))) {
    throw new FloorError(
      'FLOOR_DIR_MISSING',
      `no floor.sh in ${dir}: pass --floor DIR with the perf-floor folder (alone, --floor means ../shared/perf-floor beside the project).`,
    );
  }
  await checkPortsFree(work);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !FLOOR_KNOBS.has(name)));
  const env = { ...inherited, FLOOR_WORK: work, PAYFLOW_DIR: projectRoot, KEEP_INFRA: '1', WARM: String(warmUpS), LABEL: 'bench' };
  let current: GuardedChild | undefined;
  let stopped = false;

  const run = async (rate: number, durationS: number): Promise<FloorRun> => {
    if (stopped) throw new Error('the floor session has stopped');
    const resultsDir = join(work, 'results');
    const before = new Set(await readdir(resultsDir).catch(() => []));
    const command = `floor.sh ${rate} ${durationS}`;
    log.info({ rate, durationS, warmUpS, work }, `floor: ${rate}/s for ${durationS} s after ${warmUpS} s at ${rate / 2}/s`);
    const child = spawnGuarded('bash', [join(dir, 'floor.sh'), String(rate), String(durationS)], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    current = child;
    const tail = followOutput(child);
    const startedAt = Date.now();
    const progress = setInterval(
      () => log.info(`floor: ${rate}/s, ${Math.round((Date.now() - startedAt) / 1_000)} s in (start, ${warmUpS} s warm-up, ${durationS} s measured, drain)`),
      PROGRESS_EVERY_MS,
    );
    const limitS = warmUpS + durationS + RUN_SLACK_S;
    let overran = false;
    const overdue = setTimeout(() => {
      overran = true;
      void child.stop(STOP_GRACE_MS);
    }, limitS * 1_000);
    const exit = await child.exited.finally(() => {
      clearInterval(progress);
      clearTimeout(overdue);
      current = undefined;
    });
    if (stopped) throw new Error('the floor session was stopped during a run');
    if (exit.code !== 0) {
      const how =
        exit.error !== undefined
          ? `could not start (${exit.error.message})`
          : overran
            ? `did not end within ${limitS} s (warm-up, window and ${RUN_SLACK_S} s for the rest), so it was stopped`
            : exit.signal !== null
              ? `was killed by ${exit.signal}`
              : `exited with code ${exit.code}`;
      throw new FloorError(
        'FLOOR_RUN_FAILED',
        `${command} ${how}; its last lines:\n${tail.join('\n') || '(none)'}\nThe floor's own logs are in ${join(work, 'logs')}.`,
      );
    }
    const written = (await readdir(resultsDir).catch(() => [] as string[]))
      .filter((name) => !before.has(name) && name.startsWith(`load-${rate}-`) && name.endsWith('.json'))
      .sort();
    const file = written.at(-1);
    if (file === undefined)
      throw new FloorError(
        'FLOOR_RESULT_MISSING',
        `${command} ended without writing ${resultsDir}/load-${rate}-*.json; its last lines:\n${tail.join('\n') || '(none)'}`,
      );
    return parseFloorResult(join(resultsDir, file), await readFile(join(resultsDir, file), 'utf8'), { rate, durationS });
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await current?.stop(STOP_GRACE_MS);
    if (keepInfra || !existsSync(join(work, 'infra.sh'))) return;
    await spawnGuarded('bash', [join(work, 'infra.sh'), 'stop'], { stdio: 'ignore' }).exited;
    // A fresh broker and Redis for the next sitting, as payflow's bench system gets.
    await rm(join(work, 'data'), { recursive: true, force: true });
  };

  return { run, stop };
}

/** Copies the floor's output to ours under `floor`, line by line; returns its last lines, kept for an error message. */
function followOutput(child: GuardedChild): string[] {
  const tail: string[] = [];
  for (const stream of [child.child.stdout, child.child.stderr]) {
    if (stream === null) continue;
    forwardOutput('floor', stream);
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    });
  }
  return tail;
}

/** Refuses to start beside another floor: both would bind the same fixed ports, and the later one would measure the other's Kafka. */
async function checkPortsFree(work: string): Promise<void> {
  const ownInfra = (name: string) => {
    try {
      const pid = Number.parseInt(readFileSync(join(work, 'run', `${name}.pid`), 'utf8'), 10);
      process.kill(pid, 0);
      return pid > 0;
    } catch {
      return false;
    }
  };
  for (const spec of FLOOR_PORTS) {
    if ('infra' in spec && ownInfra(spec.infra)) continue;
    if (await isPortOpen('127.0.0.1', spec.port)) {
      throw new FloorError(
        'FLOOR_PORT_TAKEN',
        `port ${spec.port} (${spec.what}) is in use by a process this bench did not start: a floor run by hand, or kept running with KEEP_INFRA=1 ` +
          `(bash /tmp/payflow-floor/infra.sh stop stops that one), or another bench with --floor. Wait until it ends or stop it, then run the bench again.`,
      );
    }
  }
}
