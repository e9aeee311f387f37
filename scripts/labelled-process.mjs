// A child process whose output lines are written to ours, each prefixed with its label
// (`lint | …`), so that several of them can run side by side and still be read apart: the
// integration lanes (integration-lanes.mjs) and the checks of `npm run check` (side-by-side.mjs).
// Ctrl-C or SIGTERM is passed on to every child still running, which then ends ours.
//
// Plain JavaScript with no dependencies, like bootstrap.mjs.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of running) child.kill(signal);
  });
}

/**
 * Runs `command` with `args` in `cwd`; resolves with its exit code (1 if a signal ended it).
 * `onLine` sees each line of its output without colour codes, e.g. to read a summary from it.
 */
export function runLabelled(label, command, args, { cwd, onLine = () => {} } = {}) {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    createInterface({ input: from }).on('line', (line) => {
      onLine(line.replace(/\x1b\[[0-9;]*m/g, ''));
      to.write(`${label} | ${line}\n`);
    });
  }
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}
