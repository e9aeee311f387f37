import { spawnSync } from 'node:child_process';

/** Runs promtool (Debian's `prometheus` package) in `cwd`; its output is what a failing test shows. */
export function promtool(cwd: string, ...args: string[]): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (run.error !== undefined)
    throw new Error(`promtool could not run (${run.error.message}); install it with \`apt-get install -y prometheus\` (npm test's bootstrap does)`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
