import { defineConfig } from 'vitest/config';

// The bench's parts, and nginx's /baseline in the real nginx app (turbo builds nginx-app first); the
// benchmarks themselves are scripts (`pnpm bench`), not tests.
export default defineConfig({ test: { include: ['test/**/*.test.ts'] } });
