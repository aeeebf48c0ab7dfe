// The app copied out of the monorepo, installed with npm and built as the README says.
import { fileURLToPath } from 'node:url';
import { describeCopiedApp } from '@repo/conformance/vitest';
import { SUPPORTED_ALGORITHMS } from '../server/utils/config';

describeCopiedApp(
  {
    name: 'nitro',
    command: ['node', '.output/server/index.mjs'],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    algorithms: SUPPORTED_ALGORITHMS,
  },
  ['npm', 'run', 'build'],
);
