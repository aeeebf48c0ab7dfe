import { defineConfig } from 'vitest/config';

// Every run builds dist/ first (the conformance and server tests start it). The conformance and
// copy tests start real servers and wait out a 30 s cooldown: one file at a time, long timeouts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The starter test (test/copy.test.ts) runs on its own: `pnpm test:starters` at the root.
    exclude: process.env.STARTER_TESTS ? [] : ['test/copy.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
