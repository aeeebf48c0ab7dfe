import { fileURLToPath } from 'node:url';
import { describeConformance } from '@repo/conformance/vitest';
import { ALGORITHMS } from '../src/jwt/index.js';

describeConformance({
  name: 'loopback',
  command: ['node', 'dist/index.js'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  algorithms: ALGORITHMS,
});
