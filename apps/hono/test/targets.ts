import { fileURLToPath } from 'node:url';
import type { Target } from '@repo/conformance';
import { ALGORITHMS } from '../src/jwt/index.ts';

const cwd = fileURLToPath(new URL('..', import.meta.url));

/**
 * One conformance target per runtime, each started by its own `start:<runtime>` script with
 * PORT and the JWT_* variables, exactly as `pnpm start`.
 */
export function target(runtime: 'node' | 'bun' | 'deno' | 'workers'): Target {
  if (runtime === 'node')
    return { name: 'hono', command: ['node', 'dist/index.js'], cwd, algorithms: ALGORITHMS };
  const base = {
    name: `hono-${runtime}`,
    command: ['pnpm', '--silent', `start:${runtime}`],
    cwd,
    algorithms: ALGORITHMS,
  };
  // Bun, Deno and workerd start slower than Node, more so on a busy machine.
  if (runtime !== 'workers') return { ...base, startTimeout: 60 };
  return {
    ...base,
    startTimeout: 60,
    notApplicable: {
      config:
        'a Worker cannot refuse to start: it reads its bindings on its first request, logs the bad one and answers 500 server_error',
    },
  };
}
