import { defineConfig } from 'vitest/config';

// peers/ is a workspace package of its own (foreign backends); only this package's tests run here.
export default defineConfig({ test: { testTimeout: 20_000, include: ['test/**/*.test.ts'] } });
