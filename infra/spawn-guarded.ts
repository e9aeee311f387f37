import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { Socket } from 'node:net';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. the command does not exist). */
  error?: Error;
}

export interface GuardedChild {
  child: ChildProcess;
  /** Resolves once the process has exited (or failed to start). */
  exited: Promise<Exit>;
  /** SIGTERM, then SIGKILL when it is still running after `graceMs`; resolves once it has exited. */
  stop: (graceMs: number) => Promise<Exit>;
  /** SIGKILL at once, as a crash would; resolves once it has exited. */
  kill: () => Promise<Exit>;
  /** Sends `signal` to the process group, e.g. SIGSTOP/SIGCONT to pause and resume it; no-op once it has exited. */
  signal: (signal: NodeJS.Signals) => void;
}

/** Process groups still running; one `exit` hook for all, rather than one listener each. */
const running = new Set<number>();
process.on('exit', () => {
  for (const pid of running) signalGroup(pid, 'SIGKILL');
});

/**
 * Spawns a long-running helper (Kafka, Redis, a payflow process) that must never outlive this
 * process, and that only this process decides when to stop.
 *
 * - It runs in its own process group (`detached`), so Ctrl-C in the terminal reaches only us and
 *   we can stop everything in order (a worker before Kafka) instead of all at once.
 * - When we exit through Node (returning, `process.exit`), an `exit` hook kills the group.
 * - When we die any other way (a signal we do not handle, SIGKILL, a crash of Node itself), a
 *   tiny `sh` watchdog holding a pipe from us sees it close, as the kernel closes it for the
 *   dead, and kills the group.
 */
export function spawnGuarded(command: string, args: string[], options: SpawnOptions = {}): GuardedChild {
  const child = spawn(command, args, { ...options, detached: true });
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });

  const pid = child.pid;
  if (pid !== undefined) {
    running.add(pid);
    const watchdog = startWatchdog(pid);
    void exited.then(() => {
      running.delete(pid);
      if (watchdog.pid !== undefined) signalGroup(watchdog.pid, 'SIGKILL');
    });
  }

  const stop = async (graceMs: number): Promise<Exit> => {
    if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return exited;
    signalGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  const kill = async (): Promise<Exit> => {
    if (pid !== undefined && child.exitCode === null && child.signalCode === null) signalGroup(pid, 'SIGKILL');
    return exited;
  };

  const signal = (sig: NodeJS.Signals): void => {
    if (pid !== undefined && child.exitCode === null && child.signalCode === null) signalGroup(pid, sig);
  };

  return { child, exited, stop, kill, signal };
}

function startWatchdog(pid: number): ChildProcess {
  const watchdog = spawn('/bin/sh', ['-c', 'cat >/dev/null; kill -KILL -"$0" 2>/dev/null', String(pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  // The watchdog must not keep our event loop alive, or a finished test run would never exit.
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  watchdog.on('error', () => {}); // without /bin/sh we only lose the SIGKILL guard
  return watchdog;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}
