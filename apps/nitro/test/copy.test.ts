// A starter made from the app (`pnpm starter nitro <folder>`, Node only), installed with npm, its
// own `npm test` run, built as the README says, then the whole suite against it; then a starter
// made with `--runtime bun|deno|workers` each: built, started and asked three requests.
import { fileURLToPath } from 'node:url';
import { describeCopiedApp } from '@repo/conformance/vitest';
import { describeRuntimeStarters } from '@repo/starter/vitest';
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

describeRuntimeStarters('nitro');
