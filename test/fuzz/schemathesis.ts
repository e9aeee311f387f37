import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Pinned, so a new release cannot change what the fuzzer checks under us. */
export const SCHEMATHESIS_VERSION = '4.32.5';

/**
 * Schemathesis (PyPI) in a virtualenv of its own under the per-user cache, created on first use.
 * Returns the path of its command.
 */
export function ensureSchemathesis(log: (line: string) => void): string {
  const cache = process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache');
  const venv = join(cache, 'payflow', `schemathesis-${SCHEMATHESIS_VERSION}`);
  const command = join(venv, 'bin', 'schemathesis');
  if (existsSync(command)) return command;
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${venv} (once) …`);
  run('python3', ['-m', 'venv', venv]);
  run(join(venv, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`]);
  return command;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`\`${command} ${args.join(' ')}\` failed (exit ${result.status}); is python3-venv installed?`);
}
