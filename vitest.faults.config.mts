import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault drills (test/faults/*.drill.ts), each starting its own Temporal
 * dev server, database, API and worker processes, one drill at a time (they load the machine).
 * Kept out of `npm test` (which includes only *.test.ts) so that stays fast.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    globalSetup: ['test/faults/support/global-setup.ts'],
    include: ['test/faults/**/*.drill.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
