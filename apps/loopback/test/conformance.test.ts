import { fileURLToPath } from 'node:url';
import { describeConformance } from '@repo/conformance/vitest';
import { ALGORITHMS } from './algorithms';

describeConformance({
  name: 'loopback',
  command: ['node', 'dist/index.js'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  algorithms: ALGORITHMS,
});
