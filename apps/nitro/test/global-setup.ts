// `pnpm test` tests a build of the current source: before any test file runs, `nitro build` for
// node-server and for each preset that has its own conformance file here. A starter has none of
// those files (they need the repository), whatever runtimes it was made with: it builds only
// node-server, the one build its own tests start.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const PRESETS: Record<string, string> = {
  'node-server': 'test/conformance.test.ts',
  bun: 'test/conformance.bun.test.ts',
  'deno-server': 'test/conformance.deno.test.ts',
  'cloudflare-module': 'test/conformance.workers.test.ts',
};

export default function setup(): void {
  const nitro = fileURLToPath(new URL('../node_modules/.bin/nitro', import.meta.url));
  for (const [preset, testFile] of Object.entries(PRESETS)) {
    if (preset !== 'node-server' && !existsSync(new URL(`../${testFile}`, import.meta.url))) continue;
    try {
      execFileSync(nitro, ['build'], { cwd, env: { ...process.env, NITRO_PRESET: preset }, stdio: 'pipe' });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(`nitro build (${preset}) failed:\n${stdout}${stderr}`);
    }
  }
}
