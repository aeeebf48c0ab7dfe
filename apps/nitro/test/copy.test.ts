// A starter made from the app (`pnpm starter nitro <folder>`), installed with npm, its own
// `npm test` run, built as the README says, then the whole suite against it.
import { fileURLToPath } from 'node:url';
import { describeCopiedApp } from '@repo/conformance/vitest';
import { ALGORITHMS } from '../server/jwt/index.js';

describeCopiedApp(
  {
    name: 'nitro',
    command: ['node', '.output/server/index.mjs'],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    algorithms: ALGORITHMS,
  },
  ['npm', 'run', 'build'],
);
