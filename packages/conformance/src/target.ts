import type { Alg } from '@repo/test-fixtures';

/** How to run one backend under test: a command started with the contract's environment. */
export interface Target {
  /** The column heading in the matrix: `koa`, `hono`, ... */
  name: string;
  /** The production server, e.g. `['node', 'dist/index.js']`; it gets `PORT` and `JWT_*`. */
  command: string[];
  /** Where to run the command. */
  cwd: string;
  /** The contract's algorithms this backend verifies; the rest must be refused at start-up. */
  algorithms: readonly Alg[];
  /** Extra environment for every start (a private nginx prefix, say). */
  env?: Record<string, string>;
  /** Seconds to wait for `/health` after a start (default 30). */
  startTimeout?: number;
}
