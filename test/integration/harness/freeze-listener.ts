import { execFileSync } from 'node:child_process';

/**
 * The process listening on a local TCP port, for tests that freeze one they started (SIGSTOP,
 * then SIGCONT) to make a call time out while the process still receives it.
 */
export function pidListeningOn(port: number): number {
  const line = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const pid = /pid=(\d+)/.exec(line)?.[1];
  if (pid === undefined) throw new Error(`no process of this user listens on port ${port}`);
  return Number(pid);
}

/** Freezes the process listening on `port` until the returned function is called (once is enough). */
export function freezeListener(port: number): () => void {
  const pid = pidListeningOn(port);
  process.kill(pid, 'SIGSTOP');
  let thawed = false;
  return () => {
    if (thawed) return;
    thawed = true;
    process.kill(pid, 'SIGCONT');
  };
}

/** Freezes the processes listening on each of `ports` (every broker of a cluster) until the returned function is called. */
export function freezeListeners(ports: number[]): () => void {
  const thaws = ports.map(freezeListener);
  return () => {
    for (const thaw of thaws) thaw();
  };
}
