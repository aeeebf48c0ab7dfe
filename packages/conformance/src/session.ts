import { MockIssuer } from '@repo/test-fixtures';
import { type RunningApp, startApp, startExpectingExit } from './app.ts';
import { get } from './http.ts';
import { type CaseContext, type Group, mainEnv, type OwnInstance } from './model.ts';
import { type Routes, routesOf, type Target } from './target.ts';

export interface Instance {
  issuer: MockIssuer;
  others: MockIssuer[];
  app?: RunningApp;
  env: Record<string, string>;
  /** Started by its cases (`ctx.launch`), stopped with it. */
  launched: Instance[];
}

/** The extra RS256 key of the main issuer: with two RS256 keys, a token without `kid` is ambiguous. */
export const SECOND_RS256_KID = 'rs256-second';

/**
 * A backend that cannot run without an audience gets `target.audience` wherever a group sets
 * none; `mint` then puts it in every token, so those groups still judge keys, vectors, outages.
 */
const withAudience = (target: Target, env: Record<string, string>) =>
  target.audience && env.JWT_AUDIENCE === undefined ? { ...env, JWT_AUDIENCE: target.audience } : env;

async function launch(target: Target, spec: OwnInstance, start: boolean): Promise<Instance> {
  const [issuer, ...others] = (await Promise.all(
    [spec.issuer, ...(spec.others ?? [])].map((options) => MockIssuer.start(options)),
  )) as [MockIssuer, ...MockIssuer[]];
  try {
    await spec.beforeStart?.(issuer, others);
    const all = [issuer, ...others].map((i) => i.url).join(',');
    const env = withAudience(target, spec.env?.(issuer, target, others) ?? { JWT_ISSUER: all });
    return { issuer, others, env, launched: [], app: start ? await startApp(target, env) : undefined };
  } catch (error) {
    await Promise.all([issuer, ...others].map((i) => i.close()));
    throw error;
  }
}

const MAIN: OwnInstance = {
  async beforeStart(issuer) {
    await issuer.publish('RS256', SECOND_RS256_KID);
  },
  env: mainEnv,
};
const DEFAULTS: OwnInstance = { issuer: { algorithms: ['RS256', 'PS256', 'ES256'] } };
/** No app: the issuer is a URL and an RS256 key (every other key is CPU spent on RSA primes). */
const NO_APP: OwnInstance = { issuer: { algorithms: ['RS256'] } };

/** One run of the suite against one target: the shared instances, started on first use. */
export class Session {
  #shared = new Map<string, Promise<Instance>>();
  #own: Instance[] = [];

  constructor(readonly target: Target) {}

  async instanceFor(group: Group): Promise<Instance> {
    if (typeof group.instance === 'object' || group.instance === 'none') {
      const spec = group.instance === 'none' ? undefined : group.instance;
      const own = await launch(this.target, spec ?? NO_APP, spec !== undefined);
      this.#own.push(own);
      return own;
    }
    const kind = group.instance === 'defaults' ? 'defaults' : 'main';
    let shared = this.#shared.get(kind);
    if (!shared) {
      shared = launch(this.target, kind === 'main' ? MAIN : DEFAULTS, true);
      this.#shared.set(kind, shared);
    }
    return shared;
  }

  context(instance: Instance): CaseContext {
    const { target } = this;
    const routes = routesOf(target);
    return {
      target,
      routes,
      issuer: instance.issuer,
      others: instance.others,
      env: instance.env,
      state: new Map(),
      supports: (alg) => target.algorithms.includes(alg),
      mint: (claims = {}, options = {}, from = instance.issuer) => {
        const aud = instance.env.JWT_AUDIENCE?.split(',')[0]?.trim();
        // The mock issuer mints EdDSA by default, as the gateway does; the suite's tokens are
        // RS256 (what every target verifies) unless a case names an alg or a key.
        const pinned = options.alg || options.key ? options : { alg: 'RS256', ...options };
        return from.mint(aud ? { aud, ...claims } : claims, pinned);
      },
      get: (path, options) => {
        if (!instance.app) throw new Error('this group has no app');
        return get(instance.app.url, onRoutes(path, routes), options);
      },
      startExpectingExit: (env) => startExpectingExit(target, withAudience(target, env)),
      launch: async (spec) => {
        const own = await launch(target, spec, true);
        instance.launched.push(own);
        return this.context(own);
      },
    };
  }

  /** Stops a group's own instance as soon as the group is done. */
  async release(instance: Instance): Promise<void> {
    if (!this.#own.includes(instance)) return;
    this.#own = this.#own.filter((i) => i !== instance);
    await stop(instance);
  }

  async close(): Promise<void> {
    const all = [
      ...this.#own,
      ...(await Promise.allSettled(this.#shared.values())).flatMap((r) =>
        r.status === 'fulfilled' ? [r.value] : [],
      ),
    ];
    await Promise.all(all.map(stop));
  }
}

/** The contract's paths as this target has them (`/protected/admin?x` → the scope route, say). */
export function onRoutes(path: string, routes: Routes): string {
  const [pathname = '', query] = path.split(/\?(.*)/s, 2);
  const mapped: Record<string, string | null> = {
    '/health': routes.health,
    '/protected': routes.protected,
    '/protected/admin': routes.scope,
  };
  const to = pathname in mapped ? mapped[pathname] : pathname;
  if (to === null) throw new Error(`${pathname}: the backend has no such route`);
  return query === undefined ? (to as string) : `${to}?${query}`;
}

async function stop(instance: Instance): Promise<void> {
  await Promise.all(instance.launched.splice(0).map(stop));
  await instance.app?.stop();
  await Promise.all([instance.issuer, ...instance.others].map((i) => i.close()));
}
