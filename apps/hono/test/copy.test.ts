import { fileURLToPath } from 'node:url';
import { describeCopiedApp } from '@repo/conformance/vitest';
import { ALGORITHMS } from '../src/config.ts';

// The app copied out of the monorepo, installed with npm, built, and run through the whole suite.
describeCopiedApp({
  name: 'hono',
  command: ['node', 'dist/index.js'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  algorithms: ALGORITHMS,
});
