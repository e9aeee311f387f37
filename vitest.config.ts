import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { dealBySeconds, LongestFirst } from './test/schedule.js';

/**
 * Two tiers, one script each (`npm run test:unit`, `npm run test:integration`): unit tests are
 * `*.test.ts` next to the code they test; integration tests are the `*.int.test.ts` files under
 * test/integration/ and run against the real Kafka and Redis that the global setup starts.
 *
 * The integration files run in two lanes, side by side (scripts/integration-lanes.mjs starts a
 * vitest process per lane), each a project with its own Kafka and Redis (the global setup runs
 * once per project) and one file at a time. Most of a file's time is spent waiting (step budgets,
 * backoffs, group joins), so two lanes on two cores took the tier from 634 s to 413 s (323 s for the lanes, then 86 s alone); a
 * file that stops or restarts its broker (kafka-outage) only touches its own lane's. A file named
 * `*.solo.int.test.ts` times requests against a frozen broker, which the other lane's load can
 * upset: those run afterwards, alone (project integration-solo).
 *
 * The files are dealt to the lanes by the seconds each took on CI (test/schedule.ts), the longest
 * first, each to the lane with the fewest seconds so far, so that both lanes end at about the same
 * time: dealt alternately in name order, one lane had 236 s of files and the other 295 s.
 */
/** Unit files that mock modules: the lifecycle's table swapped for one with a status added. */
const UNIT_MOCKS = ['test/lifecycle/**/*.test.ts'];

const INTEGRATION_DIR = 'test/integration';
const SOLO = '.solo.int.test.ts';
const integrationFiles = readdirSync(fileURLToPath(new URL(INTEGRATION_DIR, import.meta.url)))
  .filter((name) => name.endsWith('.int.test.ts') && !name.endsWith(SOLO))
  .map((name) => `${INTEGRATION_DIR}/${name}`);
const [laneA, laneB] = dealBySeconds(integrationFiles, 2) as [string[], string[]];
const integrationProject = (name: string, include: string[]) => ({
  test: {
    name,
    include,
    globalSetup: ['test/integration/global-setup.ts'],
    // Each file starts real processes against a real broker: consumer groups take seconds to join.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One file at a time in a lane: its files share one broker.
    fileParallelism: false,
  },
});

export default defineConfig({
  test: {
    // The chaos files longest first, by their seconds on CI (test/schedule.ts). An order asked for
    // on the command line (--sequence.shuffle …) gets vitest's own sequencers, which a configured
    // one would silently replace.
    ...(process.argv.some((arg) => arg.startsWith('--sequence')) ? {} : { sequence: { sequencer: LongestFirst } }),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          // Vitest's default, a worker per core but one, leaves a single worker on two cores: the
          // unit files then ran one after another (42 s on CI) while the main process idled.
          maxWorkers: Math.max(2, availableParallelism() - 1),
          // The files of a worker share its process and its loaded modules: starting a process and
          // loading the modules again for each of the 99 files was three quarters of the tier's CPU.
          // Unit files keep no state between them (no module mocks, no stubbed globals or env, fake
          // timers restored after each test); run with --isolate to give each file its own process.
          // A file that mocks modules is in unit-mocks instead.
          isolate: false,
          exclude: [...UNIT_MOCKS, 'test/integration/**', 'test/chaos/**', 'test/scale/**', 'e2e/**', '**/node_modules/**', '.payflow/**', 'dist/**'],
        },
      },
      {
        test: {
          // Unit files that swap modules for others (vi.mock): each in a process of its own, so the
          // swapped modules never reach another file (npm run test:unit runs both projects).
          name: 'unit-mocks',
          include: UNIT_MOCKS,
          // After the unit project, since the two differ in workers.
          sequence: { groupOrder: 1 },
        },
      },
      integrationProject('integration-a', laneA),
      integrationProject('integration-b', laneB),
      integrationProject('integration-solo', [`${INTEGRATION_DIR}/*${SOLO}`]),
      {
        test: {
          name: 'chaos',
          // Each file runs its own Kafka, Redis and processes on free ports, and breaks them on
          // purpose: two files at a time, as most of a scenario is waiting (an outage, a restart,
          // a pause past a timeout, payments draining). One after another they took 306 s here.
          include: ['test/chaos/**/*.chaos.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 180_000,
          maxWorkers: 2,
          // Vitest refuses two projects with different maxWorkers in one group: a group of its own,
          // after the unit projects (0 and 1), so a plain `npx vitest run` runs every project.
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: 'scale',
          // BFF replicas behind the real load balancer and several worker instances, as real processes.
          include: ['test/scale/**/*.scale.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
