// The contract against the deno-server build, started as `pnpm start:deno` does (test/targets.ts).
import { describeConformance } from '@repo/conformance/vitest';
import { describe } from 'vitest';
import { ALGORITHMS } from '../server/jwt/index.js';
import { itDrainsOnSigterm } from './drain';
import { cwd, TARGETS } from './targets';

const { command, env } = TARGETS.deno;

describeConformance({
  name: 'nitro-deno',
  command,
  cwd,
  algorithms: ALGORITHMS,
  env: { ...env, HOST: '127.0.0.1' },
});

describe('nitro-deno on SIGTERM', () => {
  itDrainsOnSigterm(TARGETS.deno);
});
