import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Target } from '@repo/conformance';
import { ALGORITHMS } from '../src/jwt/index.ts';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const bin = (path: string) => join(cwd, 'node_modules', path);

/**
 * One conformance target per runtime: what each `start:<runtime>` script runs, with PORT and
 * the JWT_* variables from the environment, exactly as `pnpm start`. The runtime binaries are
 * started directly (not through pnpm or the npm packages' Node wrappers), so the SIGTERM the
 * suite sends reaches the server itself and its exit code is the server's.
 */
const COMMANDS = {
  node: { command: ['node', 'dist/index.js'] },
  bun: { command: [bin('bun/bin/bun.exe'), 'dist/bun.js'], env: { DO_NOT_TRACK: '1' } },
  deno: {
    command: [
      bin('deno/deno'),
      'run',
      '--allow-env',
      '--allow-net',
      '--allow-read=.',
      '--cached-only',
      'dist/deno.js',
    ],
    env: { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
  },
  workers: { command: ['node', 'scripts/workers.mjs'] },
};

/** The suite's start-up refusals (its `config` group). */
const CONFIG_CASES = [
  ...['missing-issuer', 'empty-issuer', 'algorithm-hs256', 'algorithm-none', 'algorithm-unknown'],
  ...['algorithm-lowercase', 'tolerance-not-a-number', 'tolerance-negative', 'jwks-uri-not-a-url'],
  ...['jwks-uri-not-http', 'audience-empty-list', 'port-not-a-number'],
  ...['issuer-empty-entry', 'issuer-repeated', 'issuer-too-many', 'issuer-with-credentials'],
  ...['jwks-uri-with-two-issuers', 'jwks-uri-with-credentials'],
];

export function target(runtime: keyof typeof COMMANDS): Target {
  const base = { ...COMMANDS[runtime], cwd, algorithms: ALGORITHMS };
  if (runtime === 'node') return { name: 'hono', ...base };
  // Bun, Deno and workerd start slower than Node, more so on a busy machine.
  const started = { ...base, name: `hono-${runtime}`, startTimeout: 60 };
  if (runtime !== 'workers') return started;
  // PORT is the launcher's (scripts/workers.mjs refuses a bad one); the JWT_* variables are bindings.
  const why =
    'a Worker cannot refuse to start: it reads its bindings on its first request, then logs the bad one and answers 500 server_error';
  const bindings = CONFIG_CASES.filter((id) => id !== 'port-not-a-number');
  return { ...started, notApplicable: Object.fromEntries(bindings.map((id) => [`config/${id}`, why])) };
}
