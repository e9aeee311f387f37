/**
 * Every payflow process as a real child process, started in order, each ready before the next:
 * what `npm start` runs, made reusable for tests that must kill and restart a process (the
 * browser tests, the chaos suite).
 */
import type { Logger } from 'pino';
import { payflowProcesses, processEnv, sharedEnv, type Ports, type ProcessSpec } from './processes.js';
import { startProcess, waitReady, type RunningProcess } from './run-process.js';
import { REPO_ROOT } from './start-config.js';

export type ProcessName = 'bff' | 'billing-gates' | 'udi' | 'saas-app' | 'billing-worker' | 'order-worker';

export interface ProcessSystemOptions {
  kafkaBrokers: string[];
  redisUrl: string;
  topicPrefix: string;
  topicPartitions: number;
  logLevel: string;
  ports: Ports;
  /** Extra variables per process, e.g. a stand-in's LATENCY_MS. */
  env?: Partial<Record<ProcessName, Record<string, string>>>;
  log: Logger;
}

export interface ProcessSystem {
  /** SIGKILL one process and wait until it is gone. */
  kill: (name: ProcessName) => Promise<void>;
  /** Start a process that was killed or stopped again, and wait until it is ready. */
  restart: (name: ProcessName) => Promise<void>;
  /** Stop every process, in reverse start order. */
  stop: () => Promise<void>;
}

export async function startProcessSystem(options: ProcessSystemOptions): Promise<ProcessSystem> {
  const { kafkaBrokers, redisUrl, topicPrefix, topicPartitions, logLevel, log } = options;
  const shared = sharedEnv({ kafkaBrokers, redisUrl, topicPrefix, topicPartitions, logLevel });
  const specs = payflowProcesses(options.ports);
  const running = new Map<string, RunningProcess>();
  const never = new Promise<never>(() => {});

  const start = async (spec: ProcessSpec) => {
    const env = { ...processEnv(spec, shared), ...options.env?.[spec.name as ProcessName] };
    const child = await startProcess(spec, env, REPO_ROOT);
    running.set(spec.name, child);
    await waitReady(child, log, never);
  };
  const stop = async () => {
    for (const spec of [...specs].reverse()) await running.get(spec.name)?.stop();
    running.clear();
  };

  try {
    for (const spec of specs) await start(spec);
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    kill: async (name) => {
      await running.get(name)?.kill();
    },
    restart: async (name) => {
      const spec = specs.find((candidate) => candidate.name === name);
      if (spec === undefined) throw new Error(`no process named ${name}`);
      await start(spec);
    },
    stop,
  };
}
