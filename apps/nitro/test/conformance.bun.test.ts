// The contract against the bun build, started as `pnpm start:bun` does (test/targets.ts).
import { describeConformance } from '@repo/conformance/vitest';
import { describe } from 'vitest';
import { ALGORITHMS } from '../server/jwt/index.js';
import { itDrainsOnSigterm } from './drain';
import { cwd, TARGETS } from './targets';

const { command, env } = TARGETS.bun;

describeConformance({
  name: 'nitro-bun',
  command,
  cwd,
  algorithms: ALGORITHMS,
  env: { ...env, HOST: '127.0.0.1' },
});

describe('nitro-bun on SIGTERM', () => {
  itDrainsOnSigterm(TARGETS.bun);
});
