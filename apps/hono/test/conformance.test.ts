import { fileURLToPath } from 'node:url';
import { describeConformance } from '@repo/conformance/vitest';
import { ALGORITHMS } from '../src/config.ts';

// The black-box suite against the production build (`pnpm build` first): every algorithm.
describeConformance({
  name: 'hono',
  command: ['node', 'dist/index.js'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  algorithms: ALGORITHMS,
});
