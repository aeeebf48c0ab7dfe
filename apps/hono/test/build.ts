import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * vitest globalSetup: every test run tests a build of the current source, as `npm run build`
 * makes it (tsc), plus the Worker bundle (`npm run build:workers`) where the Worker is part of
 * the app: a starter made without `--runtime workers` has no Worker to bundle.
 */
export default function build(): void {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd, stdio: 'inherit' });
  if (existsSync(new URL('../scripts/bundle.mjs', import.meta.url))) {
    execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd, stdio: 'inherit' });
  }
}
