// The contract against the bun build, started as a user does: `pnpm start:bun`.
import { describeConformance } from '@repo/conformance/vitest';
import { describe } from 'vitest';
import { ALGORITHMS } from '../server/jwt/index.js';
import { cwd, itDrainsOnSigterm } from './process';

const command = ['pnpm', '--silent', 'start:bun'];

describeConformance({ name: 'nitro-bun', command, cwd, algorithms: ALGORITHMS, env: { HOST: '127.0.0.1' } });

describe('nitro-bun on SIGTERM', () => {
  itDrainsOnSigterm(command);
});
