import { fileURLToPath } from 'node:url';
import { describeCopiedApp } from '@repo/conformance/vitest';
import { ALGORITHMS } from '@repo/test-fixtures';

// The folder copied outside the workspace, installed with npm, built, run with the system's nginx.
describeCopiedApp({
  name: 'nginx',
  command: ['node', 'dist/start.js'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  algorithms: ALGORITHMS,
});
