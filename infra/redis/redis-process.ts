import { closeSync, openSync } from 'node:fs';
import { InfraError } from '../infra-error.js';
import { spawnGuarded, type GuardedChild } from '../spawn-guarded.js';
import { tailFile } from '../tail-file.js';

/**
 * Runs `redis-server` or `redis-sentinel` in the foreground with its output in `logFile`. A first
 * start empties the file, so its tail explains this start; a restart appends, keeping what the
 * process said before it was killed.
 */
export function spawnRedisProcess(command: 'redis-server' | 'redis-sentinel', args: string[], logFile: string, { append = false } = {}): GuardedChild {
  const out = openSync(logFile, append ? 'a' : 'w');
  try {
    return spawnGuarded(command, args, { stdio: ['ignore', out, out] });
  } finally {
    closeSync(out); // the child has its own copy
  }
}

/** An InfraError saying why `what` is not up, with the end of each log named. */
export async function notUp(what: string, result: 'timeout' | 'abandoned', timeoutMs: number, logFiles: string[]): Promise<InfraError> {
  const why = result === 'timeout' ? `was not ready within ${timeoutMs / 1000} s` : 'exited';
  const tails = await Promise.all(logFiles.map(async (file) => `the end of ${file}:\n${(await tailFile(file, 12)) || '(empty)'}`));
  return new InfraError(`${what} ${why}; ${tails.join('\n')}`);
}
