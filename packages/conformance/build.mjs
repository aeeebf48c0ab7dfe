// Builds the CLI as one JavaScript file (`dist/cli.js`, the package's `bin`), with the mock issuer
// (@repo/test-fixtures) bundled in, so the packed tarball runs where there is only Node.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'none',
  // Bundled CommonJS (junit-report-builder) calls require() for Node's modules: give it one.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
});
// The licence travels with the tarball (MIT-0, the repository's).
if (existsSync('../../LICENSE')) copyFileSync('../../LICENSE', 'dist/LICENSE');
