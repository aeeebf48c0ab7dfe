import type { Alg } from '@repo/test-fixtures';
import type { Profile } from './check.ts';

/** The contract's variables (docs/contract.md, "Configuration"). */
export const VARIABLES = [
  'PORT',
  'JWT_ISSUER',
  'JWT_JWKS_URI',
  'JWT_AUDIENCE',
  'JWT_ALGORITHMS',
  'JWT_CLOCK_TOLERANCE',
  'JWT_JWKS_MAX_AGE',
  'JWT_HEADER',
  'JWT_TOKEN_PREFIX',
] as const;
export type Variable = (typeof VARIABLES)[number];

export interface Routes {
  health: string;
  protected: string;
  /** The route that needs the `admin` scope; `null` when the backend has none. */
  scope: string | null;
}

export const DEFAULT_ROUTES: Routes = {
  health: '/health',
  protected: '/protected',
  scope: '/protected/admin',
};

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
  /**
   * Extra environment for every start (a private nginx prefix, say). The backend gets only
   * `PATH`, `HOME`, `NODE_ENV=production` (the contract's `pnpm start`), `PORT`, the `JWT_*`
   * variables and this: nothing else from the caller's shell. `NODE_ENV` can be replaced here.
   */
  env?: Record<string, string>;
  /** Seconds to wait for `/health` after a start (default 30). */
  startTimeout?: number;
  /** Contract variable → the backend's own name; `null`: no such setting (its cases do not apply). */
  settings?: Partial<Record<Variable, string | null>>;
  /** Where the contract's routes are (default `/health`, `/protected`, `/protected/admin`). */
  routes?: Partial<Routes>;
  /** `group` or `group/case` → why it does not apply to this backend (shown, never counted as passed). */
  notApplicable?: Record<string, string>;
  /**
   * For a backend that requires an audience: set as `JWT_AUDIENCE` (and put in every token)
   * wherever a group sets none. The `defaults` group, which checks the app with `JWT_ISSUER`
   * alone, is then not applicable.
   */
  audience?: string;
  /** Which verdict counts for this target (default `contract`). */
  profile?: Profile;
}

export const routesOf = (target: Target): Routes => ({ ...DEFAULT_ROUTES, ...target.routes });

/** The environment the backend really gets: contract names renamed, unmapped settings dropped. */
export function renamed(target: Target, env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const mapped = target.settings?.[name as Variable];
    if (mapped === null) continue;
    out[mapped ?? name] = value;
  }
  return out;
}
