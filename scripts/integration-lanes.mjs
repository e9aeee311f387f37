#!/usr/bin/env node
// `npm run test:integration`: the integration lanes of vitest.config.ts side by side, one vitest
// process each, then the files that must run alone (integration-solo). Each lane runs its files
// one at a time against its own Kafka and Redis; most of a file's time is waiting (step budgets,
// backoffs, group joins), so two lanes share two cores well. Vitest runs projects that each allow
// one file at a time one after the other in one process, hence a process per lane. Every line is
// prefixed with its project (labelled-process.mjs); the exit code is the first failing project's,
// so a failure in any fails the run. Arguments (e.g. a file filter) are passed to each; a project
// with no file left by the filter passes, and the run fails if no project ran a file.
//
// Plain JavaScript with no dependencies, like bootstrap.mjs.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLabelled } from './labelled-process.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitest = join(root, 'node_modules', '.bin', 'vitest');
const STAGES = [['integration-a', 'integration-b'], ['integration-solo']];
const filtered = process.argv.length > 2;

/** Runs one project; resolves with its exit code and whether it ran any test file. */
async function run(project) {
  const args = ['run', '--project', project, ...(filtered ? ['--passWithNoTests'] : []), ...process.argv.slice(2)];
  let ranFiles = false;
  const onLine = (line) => {
    if (/Test Files\s+\S*\d/.test(line)) ranFiles = true;
  };
  const code = await runLabelled(project, vitest, args, { cwd: root, onLine });
  return { project, code, ranFiles };
}

const results = [];
for (const stage of STAGES) results.push(...(await Promise.all(stage.map(run))));
for (const { project, code, ranFiles } of results) console.log(`${project}: ${code !== 0 ? `failed (exit ${code})` : ranFiles ? 'passed' : 'no test file'}`);
const failed = results.find(({ code }) => code !== 0);
if (failed !== undefined) process.exit(failed.code);
if (!results.some(({ ranFiles }) => ranFiles)) {
  console.log('no integration test file ran');
  process.exit(1);
}
