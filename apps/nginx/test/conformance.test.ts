import { fileURLToPath } from 'node:url';
import { describeConformance } from '@repo/conformance/vitest';
import { ALGORITHMS } from '@repo/test-fixtures';

describeConformance({
  name: 'nginx',
  command: ['node', 'dist/start.js'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  algorithms: ALGORITHMS,
});
