/**
 * Every payflow process as a real child process, started tier by tier (processes.ts: START_TIER),
 * the processes of a tier side by side and each tier ready before the next, and the load balancer
 * last when the BFF runs as several replicas: what `npm start` runs, made reusable for tests that
 * must kill and restart a process (the browser, chaos and scale suites).
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Exit } from '../infra/spawn-guarded.js';
import { startLoadBalancer } from './load-balancer.js';
import { payflowProcesses, processEnv, sharedEnv, START_TIER, STOP_TIER, type Ports, type ProcessRole } from './processes.js';
import { startProcess, waitReady, type RunningProcess } from './run-process.js';
import { REPO_ROOT } from './start-config.js';

/** A role when it runs once ('bff', 'billing-worker'), `role-N` when it runs several, or 'load-balancer'. */
export type ProcessName = string;

export interface ProcessSystemOptions {
  kafkaBrokers: string[];
  redisUrl: string;
  topicPrefix: string;
  topicPartitions: number;
  logLevel: string;
  ports: Ports;
  /** Extra variables per role, e.g. a stand-in's LATENCY_MS. */
  env?: Partial<Record<ProcessRole, Record<string, string>>>;
  /** Where the load balancer's generated configuration goes (`haproxy/`). */
  stateDir: string;
  log: Logger;
  /** Resolves when starting should stop where it is (Ctrl-C while `npm start` starts). */
  abandonWhen?: Promise<unknown>;
  /** A process exited without being asked to (by stop, kill or restart). */
  onUnexpectedExit?: (name: ProcessName, exit: Exit) => void;
  /** Options for every payflow process' `node`, e.g. `--cpu-prof` (which NODE_OPTIONS refuses); default none. */
  nodeArgs?: readonly string[];
}

export interface ProcessSystem {
  /** Every process, in start order (within a tier, as processes.ts lists them). */
  names: ProcessName[];
  /** SIGKILL one process and wait until it is gone. */
  kill: (name: ProcessName) => Promise<void>;
  /**
   * SIGTERM one process, as an orchestrator stopping it would (it shuts down in order), and wait
   * until it has exited; SIGKILL if it is still there after 10 s. Resolves with how it exited and
   * how long it took.
   */
  terminate: (name: ProcessName) => Promise<Exit & { ms: number }>;
  /** Sends a signal to one running process without waiting (SIGSTOP pauses it, SIGCONT resumes it). */
  signal: (name: ProcessName, signal: NodeJS.Signals) => void;
  /** Start a process that was killed or stopped again, and wait until it is ready. */
  restart: (name: ProcessName) => Promise<void>;
  /** Stop every process: the load balancer, then tier by tier (processes.ts: STOP_TIER), the processes of a tier side by side. */
  stop: () => Promise<void>;
  /** The pid of each process from its latest start, in start order: a restart gives it a new one. */
  pids: () => Map<ProcessName, number>;
}

export async function startProcessSystem(options: ProcessSystemOptions): Promise<ProcessSystem> {
  const { kafkaBrokers, redisUrl, topicPrefix, topicPartitions, logLevel, ports, log } = options;
  const shared = sharedEnv({ kafkaBrokers, redisUrl, topicPrefix, topicPartitions, logLevel });
  const specs = payflowProcesses(ports);

  const launchers = new Map<ProcessName, () => Promise<RunningProcess>>();
  for (const spec of specs) {
    launchers.set(spec.name, () => startProcess(spec, { ...processEnv(spec, shared), ...options.env?.[spec.role] }, REPO_ROOT, options.nodeArgs));
  }
  const roles = new Map(specs.map((spec) => [spec.name, spec.role]));
  const LOAD_BALANCER = 'load-balancer';
  if (ports.bffReplicas.length > 0) {
    const replicas = specs.filter((spec) => spec.role === 'bff');
    launchers.set(LOAD_BALANCER, () => startLoadBalancer({ port: ports.bff, replicas, dir: join(options.stateDir, 'haproxy') }));
  }
  /** Names by tier, in tier order; the load balancer is the first to stop and the last to start. */
  const tiers = (tierOf: Record<ProcessRole, number>, names: ProcessName[]) => {
    const byTier: ProcessName[][] = [];
    for (const name of names) {
      const role = roles.get(name);
      if (role !== undefined) (byTier[tierOf[role]] ??= []).push(name);
    }
    return byTier.filter((tier) => tier.length > 0);
  };

  const running = new Map<ProcessName, RunningProcess>();
  /** Processes we stopped or killed on purpose: their exit is no news. */
  const meant = new WeakSet<RunningProcess>();
  let abandoned = false;
  const abandonWhen = (options.abandonWhen ?? new Promise<never>(() => {})).then(() => (abandoned = true));

  const start = async (name: ProcessName) => {
    const launch = launchers.get(name);
    if (launch === undefined) throw new Error(`no process named ${name}`);
    const child = await launch();
    log.info(`started ${name} on port ${child.spec.port}`);
    running.set(name, child);
    await waitReady(child, log, abandonWhen);
    void child.exited.then((exit) => {
      if (!meant.has(child)) options.onUnexpectedExit?.(name, exit);
    });
  };
  const stopOne = async (name: ProcessName, how: 'stop' | 'kill'): Promise<Exit | undefined> => {
    const child = running.get(name);
    if (child === undefined) return undefined;
    meant.add(child);
    return child[how]();
  };
  const stop = async () => {
    const names = [...running.keys()];
    await stopOne(LOAD_BALANCER, 'stop');
    for (const tier of tiers(STOP_TIER, names)) await Promise.all(tier.map((name) => stopOne(name, 'stop')));
    running.clear();
  };

  try {
    const startTiers = [
      ...tiers(
        START_TIER,
        specs.map((spec) => spec.name),
      ),
      ...(launchers.has(LOAD_BALANCER) ? [[LOAD_BALANCER]] : []),
    ];
    for (const tier of startTiers) {
      if (abandoned) break;
      // Every start of the tier settles before a failure is thrown, so the stop below finds them all.
      const failed = (await Promise.allSettled(tier.map(start))).find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    names: [...launchers.keys()],
    kill: async (name) => {
      await stopOne(name, 'kill');
    },
    terminate: async (name) => {
      const started = performance.now();
      const exit = await stopOne(name, 'stop');
      if (exit === undefined) throw new Error(`${name} is not running`);
      return { ...exit, ms: Math.round(performance.now() - started) };
    },
    signal: (name, sig) => {
      const child = running.get(name);
      if (child === undefined) throw new Error(`${name} is not running`);
      child.signal(sig);
    },
    restart: start,
    stop,
    pids: () => new Map([...running].flatMap(([name, child]) => (child.pid === undefined ? [] : [[name, child.pid] as const]))),
  };
}
