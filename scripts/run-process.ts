import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { InfraError } from '../infra/infra-error.js';
import { isPortOpen } from '../infra/port-open.js';
import { spawnGuarded, type Exit } from '../infra/spawn-guarded.js';
import { waitUntil } from '../infra/wait-until.js';
import { forwardOutput } from './log-output.js';
import type { ProcessSpec } from './processes.js';

const READY_TIMEOUT_MS = 60_000;
/** As long as a process' own shutdown may take (STOP_LIMIT_MS, lib/stop-limit.ts); one still running then is SIGKILLed. */
const STOP_GRACE_MS = 10_000;

/** What waitReady needs to know of a process. */
export type ReadyCheck = Pick<ProcessSpec, 'name' | 'port' | 'readyPath'>;

export interface RunningProcess {
  spec: ReadyCheck;
  /** The OS process id, e.g. for reading its CPU time in /proc; undefined if it could not be spawned. */
  pid: number | undefined;
  exited: Promise<Exit>;
  stop: () => Promise<Exit>;
  /** SIGKILL, as a crash would: no shutdown hooks run. */
  kill: () => Promise<Exit>;
  /** Sends a signal without waiting, e.g. SIGSTOP to freeze the process as a long GC pause or a stalled VM would. */
  signal: (signal: NodeJS.Signals) => void;
}

/** Starts one payflow process with `node [nodeArgs] [its own nodeArgs] --import tsx`, its output under its name in ours. */
export async function startProcess(
  spec: ReadyCheck & Pick<ProcessSpec, 'entry' | 'nodeArgs'>,
  env: NodeJS.ProcessEnv,
  root: string,
  nodeArgs: readonly string[] = [],
): Promise<RunningProcess> {
  if (!existsSync(join(root, spec.entry))) throw new InfraError(`${spec.name}: ${spec.entry} does not exist`);
  // Otherwise whatever holds the port (a leftover run) would answer the readiness check for it.
  if (await isPortOpen('127.0.0.1', spec.port)) {
    throw new InfraError(`${spec.name}: port ${spec.port} is already in use; stop what holds it or choose another port`);
  }
  const child = spawnGuarded(process.execPath, [...nodeArgs, ...(spec.nodeArgs ?? []), '--import', 'tsx', spec.entry], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.child.stdout) forwardOutput(spec.name, child.child.stdout);
  if (child.child.stderr) forwardOutput(spec.name, child.child.stderr);
  return { spec, pid: child.child.pid, exited: child.exited, stop: () => child.stop(STOP_GRACE_MS), kill: child.kill, signal: child.signal };
}

/** Resolves once the process answers 200 on its ready path; throws if it exits or is too slow first. */
export async function waitReady(running: RunningProcess, log: Logger, abandonWhen: Promise<unknown>): Promise<void> {
  const { name, port, readyPath } = running.spec;
  const url = `http://127.0.0.1:${port}${readyPath}`;
  let exit: Exit | undefined;
  const exited = running.exited.then((value) => (exit = value));
  const result = await waitUntil({
    what: `${name} at ${url}`,
    check: () => answersOk(url),
    timeoutMs: READY_TIMEOUT_MS,
    log,
    abandonWhen: Promise.race([exited, abandonWhen]),
  });
  if (result === 'timeout') throw new InfraError(`${name} did not answer ${url} within ${READY_TIMEOUT_MS / 1000} s`);
  if (exit) throw new InfraError(`${name} exited before it was ready (${describeExit(exit)})`);
}

export function describeExit({ code, signal, error }: Exit): string {
  if (error) return error.message;
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
