import { defineConfig } from 'vitest/config';

// Only the pure parts are unit-tested; the benchmarks themselves are scripts (`pnpm bench`), not tests.
export default defineConfig({ test: { include: ['test/**/*.test.ts'] } });
