import type { Alg, Claims, IssuerOptions, MintOptions, MockIssuer } from '@repo/test-fixtures';
import type { startExpectingExit } from './app.ts';
import type { Reply, RequestOptions } from './http.ts';
import type { Routes, Target, Variable } from './target.ts';

/** What a case gets: its group's issuer and app, and a few helpers. */
export interface CaseContext {
  target: Target;
  issuer: MockIssuer;
  /** The group's further issuers, when it has several (`OwnInstance.others`). */
  others: MockIssuer[];
  /** The environment the group's app was started with. */
  env: Record<string, string>;
  /** A token from the group's issuer (or `from`), with `aud` set when the app checks audiences. */
  mint(claims?: Claims, options?: MintOptions, from?: MockIssuer): string;
  /** A GET against the group's app. */
  get(path: string, options?: RequestOptions): Promise<Reply>;
  supports(alg: Alg): boolean;
  /** Shared by the cases of one group, which run in order. */
  state: Map<string, unknown>;
  /** Where the target's routes are (`get('/protected/admin')` already goes to `routes.scope`). */
  routes: Routes;
  /** Starts another copy of the target that is expected to refuse `env` and exit. */
  startExpectingExit(env: Record<string, string>): ReturnType<typeof startExpectingExit>;
  /** Starts an issuer and an app of the case's own (cold caches), stopped with the group. */
  launch(spec: OwnInstance): Promise<CaseContext>;
}

/**
 * What a case needs from the target: a contract variable it sets and relies on (not applicable
 * when the target maps it to `null`), the scope route, or a restart with other settings.
 */
export type Need = Variable | 'scope-route' | 'restart';

export interface Case {
  id: string;
  title: string;
  needs?: Need[];
  /** Another reason this case does not apply to `target` (an algorithm it does not claim, say). */
  notApplicable?(target: Target, byUrl: boolean): string | undefined;
  /**
   * Records its expectations with `security(...)`/`contract(...)` and the `expect*` helpers
   * (src/check.ts, src/expect.ts): each failed one is kept and the case goes on. A throw fails
   * the case under both profiles. May resolve to a note for the matrix, like "refused at start-up".
   */
  run(ctx: CaseContext): Promise<unknown>;
}

/** The summary's themes. */
export type Theme = 'forgeries and algorithms' | 'claims' | 'errors' | 'keys and outages' | 'start-up';

/** A fresh issuer and app for one group, for cases that need state of their own (keys, outages). */
export interface OwnInstance {
  issuer?: IssuerOptions;
  /** More issuers, started beside the first (`ctx.others`); the app trusts them all by default. */
  others?: IssuerOptions[];
  /** The environment for the app (default: the contract's minimum, `JWT_ISSUER` and the target's algorithms). */
  env?(issuer: MockIssuer, target: Target, others: MockIssuer[]): Record<string, string>;
  /** Runs before the app starts (to begin with the JWKS endpoint down, say). */
  beforeStart?(issuer: MockIssuer, others: MockIssuer[]): Promise<void>;
}

export interface Group {
  /**
   * Several groups may share one (`keys`): one list of cases, split over apps of their own so
   * that their waits run side by side.
   */
  id: string;
  /**
   * `main`: the app with every setting exercised (all its algorithms, audiences, a 30 s
   * tolerance, an explicit JWKS URI); `defaults`: the app with only `JWT_ISSUER` set;
   * `none`: no app, an issuer with one RS256 key (start-up checks); or a fresh instance of its own.
   */
  instance: 'main' | 'defaults' | 'none' | OwnInstance;
  /** Default: by group id (src/themes.ts). */
  theme?: Theme;
  /** Needs of every case of the group. */
  needs?: Need[];
  /**
   * Its time is mostly waiting (timeouts, backoff, the cooldown), not CPU: it runs beside
   * everything else, instead of waiting for a turn. `first`: the suite's longest chain, whose
   * app starts before any other.
   */
  paced?: boolean | 'first';
  /** A reason none of its cases applies to `target`. */
  notApplicable?(target: Target, byUrl: boolean): string | undefined;
  cases: Case[];
}

export const AUDIENCES = ['api://one', 'api://two'] as const;
export const MAIN_TOLERANCE = 30;

export function mainEnv(issuer: MockIssuer, target: Target): Record<string, string> {
  return {
    JWT_ISSUER: issuer.url,
    JWT_JWKS_URI: issuer.altJwksUri,
    JWT_AUDIENCE: AUDIENCES.join(','),
    // a space after the comma, as people write lists
    JWT_ALGORITHMS: target.algorithms.join(', '),
    JWT_CLOCK_TOLERANCE: String(MAIN_TOLERANCE),
  };
}
