// The contract against the deno-server build, started as a user does: `pnpm start:deno`.
import { describeConformance } from '@repo/conformance/vitest';
import { describe } from 'vitest';
import { ALGORITHMS } from '../server/jwt/index.js';
import { cwd, itDrainsOnSigterm } from './process';

const command = ['pnpm', '--silent', 'start:deno'];

describeConformance({ name: 'nitro-deno', command, cwd, algorithms: ALGORITHMS, env: { HOST: '127.0.0.1' } });

describe('nitro-deno on SIGTERM', () => {
  itDrainsOnSigterm(command);
});
