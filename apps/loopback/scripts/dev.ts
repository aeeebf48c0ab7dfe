/**
 * `pnpm dev`: compile with tsc (esbuild-based runners such as tsx do not emit the decorator
 * metadata LoopBack's DI can rely on), keep `tsc --watch` running, and run the build under
 * `node --watch`, which restarts the server whenever tsc rewrites dist/.
 * Inside the monorepo, runDev starts (or joins) the mock issuer when JWT_ISSUER is unset.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const PORT = 3004;
const COMMAND = ['node', '--watch', 'dist/index.js'];
// Resolved from the app folder: this file also runs bundled as ESM in a starter (no `require`).
const tsc = createRequire(join(process.cwd(), 'package.json')).resolve('typescript/bin/tsc');

// Incremental, its state beside the output: the watcher's first pass then rewrites nothing the
// compile before it wrote, so `node --watch` does not restart the server it has just started.
const TSC = [tsc, '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', 'dist/.tsbuildinfo'];

function startCompiler(): ChildProcess {
  execFileSync(process.execPath, TSC, { stdio: 'inherit' });
  const watcher = spawn(process.execPath, [...TSC, '--watch', '--preserveWatchOutput'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  process.on('exit', () => watcher.kill());
  return watcher;
}

async function main(): Promise<void> {
  let runDev: typeof import('@repo/test-fixtures/dev').runDev | undefined;
  try {
    ({ runDev } = await import('@repo/test-fixtures/dev'));
  } catch {
    runDev = undefined; // copied out of the monorepo: no mock issuer
  }
  if (!runDev && !process.env.JWT_ISSUER) {
    console.error(
      'Set JWT_ISSUER to your gateway issuer URL (e.g. https://<deployment>.zuplo.app/__zuplo/issuer) and run pnpm dev again.',
    );
    process.exit(1);
  }
  startCompiler();
  if (runDev) return runDev({ name: 'loopback', port: PORT, command: COMMAND });
  const [bin = 'node', ...args] = COMMAND;
  const server = spawn(bin, args, {
    stdio: 'inherit',
    env: { ...process.env, PORT: process.env.PORT ?? String(PORT) },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
  server.on('exit', (code) => process.exit(code ?? 0));
}

void main();
