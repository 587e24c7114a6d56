import { defineConfig } from 'vitest/config';

// Real-Chromium end-to-end tests against the simulator. One file at a time: each launches
// its own browser, and the machine has two cores.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['./test/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A real browser on a busy 2-core box: one retry for timing hiccups; a real failure fails twice.
    retry: 1,
    reporters: ['default', ['json', { outputFile: 'test-results/e2e.json' }]],
  },
});
