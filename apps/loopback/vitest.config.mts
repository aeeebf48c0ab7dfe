import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The starter test (test/copy.test.ts) runs on its own: `pnpm test:starters` at the root.
    exclude: process.env.STARTER_TESTS ? [] : ['test/copy.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The conformance and copy runs start servers and share the machine: one file at a time.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
