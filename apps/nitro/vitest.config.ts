import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The starter test (test/copy.test.ts) runs on its own: `pnpm test:starters` at the root.
    exclude: process.env.STARTER_TESTS ? [] : ['test/copy.test.ts'],
    // Builds every preset the tests start (test/global-setup.ts), so no test runs a stale build.
    globalSetup: ['test/global-setup.ts'],
    // The conformance and copy tests start real servers; one file at a time keeps them apart.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
