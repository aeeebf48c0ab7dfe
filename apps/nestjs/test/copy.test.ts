import { fileURLToPath } from 'node:url';
import { describeCopiedApp } from '@repo/conformance/vitest';

// The app copied out of the monorepo, installed with npm and built, passes the same suite.
describeCopiedApp({
  name: 'nestjs',
  command: ['node', 'dist/main.js'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'],
});
