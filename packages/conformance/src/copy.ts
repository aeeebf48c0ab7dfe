import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const SKIP = new Set(['node_modules', 'dist', '.output', '.nitro', '.turbo', '.results']);

/**
 * Copies an app folder out of the workspace the way a user starts their own service from it:
 * the `@repo/*` dev tools are dropped (plain npm cannot resolve `workspace:`), then
 * `npm install` and the build run exactly as the app's README says. Returns the new folder.
 */
export function copyApp(appDir: string, build: string[] = ['npm', 'run', 'build']): string {
  const root = mkdtempSync(join(tmpdir(), 'copied-app-'));
  const dest = join(root, basename(appDir));
  cpSync(appDir, dest, { recursive: true, filter: (src) => !SKIP.has(basename(src)) });
  const manifestPath = join(dest, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Record<string, string>>;
  for (const field of ['dependencies', 'devDependencies']) {
    for (const name of Object.keys(manifest[field] ?? {})) if (name.startsWith('@repo/')) delete manifest[field]?.[name];
  }
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const run = (cmd: string[]) => {
    const [bin, ...args] = cmd;
    execFileSync(bin as string, args, { cwd: dest, stdio: 'pipe', timeout: 600_000, env: { ...process.env, CI: 'true' } });
  };
  run(['npm', 'install', '--no-audit', '--no-fund', '--loglevel=error']);
  run(build);
  return dest;
}

export function removeCopy(dir: string): void {
  rmSync(join(dir, '..'), { recursive: true, force: true });
}
