import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// The conformance and copy tests need the monorepo's @repo packages; a starter runs the rest.
const inMonorepo = existsSync(new URL('./node_modules/@repo/conformance', import.meta.url));
// The starter test (test/copy.test.ts) runs on its own: `pnpm test:starters` at the root.
const starterTests = Boolean(process.env.STARTER_TESTS);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: !inMonorepo
      ? ['test/conformance*.test.ts', 'test/copy.test.ts']
      : starterTests
        ? []
        : ['test/copy.test.ts'],
    globalSetup: ['test/build.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 900_000,
  },
});
