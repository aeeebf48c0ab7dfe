import { MockIssuer } from '@repo/test-fixtures';
import { type RunningApp, startApp, startExpectingExit } from './app.ts';
import { get } from './http.ts';
import { type CaseContext, type Group, mainEnv, type OwnInstance } from './model.ts';
import type { Target } from './target.ts';

export interface Instance {
  issuer: MockIssuer;
  app?: RunningApp;
  env: Record<string, string>;
}

/** The extra RS256 key of the main issuer: with two RS256 keys, a token without `kid` is ambiguous. */
export const SECOND_RS256_KID = 'rs256-second';

async function launch(target: Target, spec: OwnInstance, start: boolean): Promise<Instance> {
  const issuer = await MockIssuer.start(spec.issuer);
  try {
    await spec.beforeStart?.(issuer);
    const env = spec.env?.(issuer, target) ?? { JWT_ISSUER: issuer.url };
    return { issuer, env, app: start ? await startApp(target, env) : undefined };
  } catch (error) {
    await issuer.close();
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

/** One run of the suite against one target: the shared instances, started on first use. */
export class Session {
  #shared = new Map<string, Promise<Instance>>();
  #own: Instance[] = [];

  constructor(readonly target: Target) {}

  async instanceFor(group: Group): Promise<Instance> {
    if (typeof group.instance === 'object' || group.instance === 'none') {
      const spec = group.instance === 'none' ? undefined : group.instance;
      const own = await launch(this.target, spec ?? {}, spec !== undefined);
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
    return {
      target,
      issuer: instance.issuer,
      env: instance.env,
      state: new Map(),
      supports: (alg) => target.algorithms.includes(alg),
      mint: (claims = {}, options = {}) => {
        const aud = instance.env.JWT_AUDIENCE?.split(',')[0]?.trim();
        return instance.issuer.mint(aud ? { aud, ...claims } : claims, options);
      },
      get: (path, options) => {
        if (!instance.app) throw new Error('this group has no app');
        return get(instance.app.url, path, options);
      },
      startExpectingExit: (env) => startExpectingExit(target, env),
    };
  }

  /** Stops a group's own instance as soon as the group is done. */
  async release(instance: Instance): Promise<void> {
    if (!this.#own.includes(instance)) return;
    this.#own = this.#own.filter((i) => i !== instance);
    await stop(instance);
  }

  async close(): Promise<void> {
    const all = [...this.#own, ...(await Promise.allSettled(this.#shared.values())).flatMap((r) =>
      r.status === 'fulfilled' ? [r.value] : [],
    )];
    await Promise.all(all.map(stop));
  }
}

async function stop(instance: Instance): Promise<void> {
  await instance.app?.stop();
  await instance.issuer.close();
}
