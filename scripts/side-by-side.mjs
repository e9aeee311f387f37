#!/usr/bin/env node
// Runs npm scripts in lanes side by side: each argument is a lane, the comma-separated scripts
// of a lane run one after another. `node scripts/side-by-side.mjs typecheck,typecheck:web lint`
// type-checks while it lints. The type checks and the lint are each one single-threaded
// process, so on two cores two lanes take about as long as the longest lane, not the sum.
//
// Every line is prefixed with its script (labelled-process.mjs). A failing script ends its own
// lane; the other lanes run to their end, so one run reports every check that fails, and the run
// then exits with a failing script's exit code.
//
// Plain JavaScript with no dependencies, like bootstrap.mjs.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLabelled } from './labelled-process.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lanes = process.argv.slice(2).map((lane) => lane.split(',').filter(Boolean));
if (lanes.length === 0 || lanes.some((lane) => lane.length === 0)) {
  console.error('usage: node scripts/side-by-side.mjs <script>[,<script>…] [<script>[,<script>…] …]');
  process.exit(2);
}

/** Runs the scripts of one lane in order; resolves with the first failure, if any. */
async function runLane(scripts) {
  for (const script of scripts) {
    const started = performance.now();
    const code = await runLabelled(script, 'npm', ['run', '--silent', script], { cwd: root });
    console.log(`${script}: ${code === 0 ? 'passed' : `failed (exit ${code})`} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (code !== 0) return { script, code };
  }
  return undefined;
}

const failures = (await Promise.all(lanes.map(runLane))).filter((failure) => failure !== undefined);
if (failures.length > 0) process.exit(failures[0].code);
