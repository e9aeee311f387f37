import { defineConfig } from 'vitest/config';

/**
 * Two tiers, one script each (`npm run test:unit`, `npm run test:integration`): unit tests are
 * `*.test.ts` next to the code they test; integration tests are the `*.int.test.ts` files under
 * test/integration/ and run against the real Kafka and Redis that the global setup starts.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['test/integration/**', 'test/chaos/**', 'test/scale/**', 'e2e/**', '**/node_modules/**', '.payflow/**', 'dist/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.int.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          // Each file starts real processes against a real broker: consumer groups take seconds to join.
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One file at a time: they share one broker and a 2-core machine.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'chaos',
          // Each file runs its own Kafka, Redis and processes, and breaks them on purpose.
          include: ['test/chaos/**/*.chaos.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 180_000,
          fileParallelism: false,
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
