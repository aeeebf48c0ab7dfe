import type { MockIssuer } from '@repo/test-fixtures';
import type { MicroSpec } from './micro-worker.ts';
import type { Pool } from './pool.ts';
import type { MicroResults } from './types.ts';
import { runWorker } from './worker.ts';

/** Runs the verify micro-benchmark in its own process on the server's core (idle at that moment). */
export function runMicro(
  issuer: MockIssuer,
  pools: readonly Pool[],
  seconds: number,
  runs: number,
  core: number | null,
): Promise<MicroResults> {
  const spec: MicroSpec = {
    issuer: issuer.url,
    jwks: Object.fromEntries(pools.map((p) => [p.alg, issuer.key(p.alg).jwk])),
    pools: Object.fromEntries(pools.map((p) => [p.alg, p.file])),
    seconds,
    runs,
  };
  let results: MicroResults = {};
  return runWorker('micro-worker.ts', spec, core, (line) => {
    results = line as MicroResults;
  }).then(() => results);
}
