import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The starter test (test/copy.test.ts) runs on its own: `pnpm test:starters` at the root.
    exclude: process.env.STARTER_TESTS ? [] : ['test/copy.test.ts'],
    // nginx must be installed; then dist/ is built from the current source.
    globalSetup: ['test/setup/require-nginx.ts', 'test/setup/build.ts'],
    // One nginx at a time per file: the suite starts many instances and the copy test builds.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
