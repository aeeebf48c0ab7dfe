import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchContext, targetEnv } from './context.ts';
import { pinned } from './cpu.ts';
import type { BurstOutcome, BurstSpec } from './burst-worker.ts';
import { startServer } from './server.ts';
import type { Target } from './targets.ts';
import type { BurstResult } from './types.ts';
import { runWorker } from './worker.ts';

export const BURST_SIZE = 1000;
/** The JWKS answers this late, so the whole burst arrives while the first fetch is still in flight. */
export const JWKS_DELAY_MS = 250;

/** A JWKS endpoint in front of the issuer's that answers late and counts what it serves. */
async function slowJwks(upstream: string, delayMs: number) {
  let served = 0;
  const server = createServer((_req, res) => {
    served++;
    setTimeout(async () => {
      const body = await fetch(upstream).then(
        (r) => r.text(),
        () => '',
      );
      res.writeHead(body ? 200 : 502, { 'content-type': 'application/json' }).end(body);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    served: () => served,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * "A cold burst of 1,000 concurrent requests costs one JWKS fetch": a freshly started target,
 * 1,000 connections opened first, then one request each with a distinct RS256 token, all at once,
 * while the JWKS answers only after JWKS_DELAY_MS.
 */
export async function coldBurst(
  ctx: BenchContext,
  target: Target,
): Promise<BurstResult | { skipped: string }> {
  const pool = ctx.pools.get('RS256');
  if (!pool || !target.algorithms.includes('RS256')) return { skipped: 'needs an RS256 pool' };
  const jwks = await slowJwks(ctx.issuer.jwksUri, JWKS_DELAY_MS);
  try {
    const env = targetEnv(ctx, target, { JWT_JWKS_URI: jwks.url });
    const server = await startServer(target.name, pinned(ctx.pin.server, target.command), target.cwd, env);
    try {
      await sleep(JWKS_DELAY_MS * 2); // let a start-up prefetch, if the target makes one, land first
      const fetchesAtStart = jwks.served();
      const port = Number(new URL(server.url).port);
      const spec: BurstSpec = {
        port,
        path: '/protected',
        tokensFile: pool.file,
        offset: pool.size - BURST_SIZE,
        count: BURST_SIZE,
      };
      let outcome: BurstOutcome | undefined;
      await runWorker('burst-worker.ts', spec, ctx.pin.load, (line) => {
        outcome = line as BurstOutcome;
      });
      if (!outcome) throw new Error('the burst worker reported nothing');
      return { ...outcome, fetchesAtStart, fetchesDuringBurst: jwks.served() - fetchesAtStart };
    } finally {
      await server.stop();
    }
  } catch (e) {
    return { skipped: (e as Error).message };
  } finally {
    await jwks.close();
  }
}
