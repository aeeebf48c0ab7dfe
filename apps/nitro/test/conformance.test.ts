// The contract, black-box, against the BUILT server (`pnpm build` first; `pnpm test` after it).
import { fileURLToPath } from 'node:url';
import { describeConformance } from '@repo/conformance/vitest';
import { SUPPORTED_ALGORITHMS } from '../server/utils/config';

describeConformance({
  name: 'nitro',
  command: ['node', '.output/server/index.mjs'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  algorithms: SUPPORTED_ALGORITHMS,
});
