import type { MockIssuer } from '@repo/test-fixtures';
import type { Options } from './args.ts';
import type { Pinning } from './cpu.ts';
import type { Pool } from './pool.ts';
import type { Target } from './targets.ts';
import type { BenchAlg } from './types.ts';

/** What every scenario needs: the issuer, the minted pools, the options and the core placement. */
export interface BenchContext {
  issuer: MockIssuer;
  pools: Map<BenchAlg, Pool>;
  /** One token per algorithm for the repeated-token scenario. */
  same: Map<BenchAlg, string>;
  opts: Options;
  pin: Pinning;
  log: (line: string) => void;
}

/** The algorithms this run loads into `target`: those it supports among those asked for. */
export const algsFor = (target: Target, opts: Options): BenchAlg[] =>
  target.algorithms.filter((a) => opts.algs.includes(a));

/** The contract's configuration for a target: our issuer, the algorithms it is loaded with. */
export function targetEnv(
  ctx: BenchContext,
  target: Target,
  extra: Record<string, string> = {},
): Record<string, string> {
  const algs = target.algorithms.filter((a) => ctx.pools.has(a) || ctx.same.has(a));
  return { JWT_ISSUER: ctx.issuer.url, JWT_ALGORITHMS: (algs.length ? algs : ['RS256']).join(','), ...extra };
}

/** One request with `token`: the status the target answers (0 when it does not answer). */
export async function probe(url: string, token: string): Promise<number> {
  const res = await fetch(`${url}/protected`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(10_000),
  }).catch(() => null);
  await res?.body?.cancel();
  return res?.status ?? 0;
}
