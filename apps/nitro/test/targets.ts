// How each target starts: the package.json start scripts, spelled out with the runtime's own
// binary. Tests start these directly, without pnpm or node_modules/.bin's shell wrappers in
// between, so SIGTERM reaches the server itself (as under a process manager) and the exit code
// is the server's. test/scripts.test.ts keeps this table and package.json in step.
import { fileURLToPath } from 'node:url';
import { freePort, startServer } from '@repo/test-fixtures';

export const cwd = fileURLToPath(new URL('..', import.meta.url));
const bin = (path: string) => fileURLToPath(new URL(`../node_modules/${path}`, import.meta.url));

export interface Start {
  /** The package.json script this mirrors. */
  script: string;
  /** Its environment settings (telemetry and update checks off). */
  env: Record<string, string>;
  /** Its command, the runtime as the binary inside its npm package. */
  command: string[];
  /** The runtime's name in the script. */
  runtime: string;
}

export const TARGETS = {
  node: { script: 'start', env: {}, runtime: 'node', command: ['node', '.output/server/index.mjs'] },
  bun: {
    script: 'start:bun',
    env: { DO_NOT_TRACK: '1' },
    runtime: 'bun',
    command: [bin('bun/bin/bun.exe'), '--no-install', 'dist/bun/server/index.mjs'],
  },
  deno: {
    script: 'start:deno',
    env: { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
    runtime: 'deno',
    command: [
      bin('deno/deno'),
      ...['run', '--allow-net', '--allow-read', '--allow-env', '--no-remote', '--cached-only'],
      'dist/deno/server/index.mjs',
    ],
  },
  workers: {
    script: 'start:workers',
    env: {},
    runtime: 'node',
    command: ['node', 'scripts/start-workers.mjs'],
  },
} satisfies Record<string, Start>;

/** Starts `target` on a free port of 127.0.0.1 (only PATH, HOME and `env`) and waits for /health. */
export async function startTarget(target: Start, env: Record<string, string>) {
  const url = `http://127.0.0.1:${await freePort()}`;
  const all = { ...target.env, ...env, PORT: new URL(url).port, HOST: '127.0.0.1' };
  return {
    url,
    server: await startServer({ command: target.command, cwd, env: all, health: `${url}/health` }),
  };
}
