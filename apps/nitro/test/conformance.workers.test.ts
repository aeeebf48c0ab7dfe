// The contract against the cloudflare-module build in workerd, started as a user does:
// `pnpm start:workers` (scripts/start-workers.mjs passes PORT, HOST and JWT_* to the Worker).
import { describeConformance } from '@repo/conformance/vitest';
import { ALGORITHMS } from '../server/jwt/index.js';
import { cwd } from './process';

describeConformance({
  name: 'nitro-workers',
  command: ['pnpm', '--silent', 'start:workers'],
  cwd,
  algorithms: ALGORITHMS,
  env: { HOST: '127.0.0.1' },
});
