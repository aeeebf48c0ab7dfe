import { defineConfig } from 'vitest/config';

// The conformance and copy tests start real servers and wait out a 30 s cooldown: one file at
// a time, and generous timeouts.
export default defineConfig({
  test: {
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
