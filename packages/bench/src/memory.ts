import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchContext, probe, targetEnv } from './context.ts';
import { pinned } from './cpu.ts';
import { runLoad } from './load.ts';
import type { Pool } from './pool.ts';
import { startServer } from './server.ts';
import { mb, num, renderTable } from './table.ts';
import type { Target } from './targets.ts';

/** Requests with distinct tokens before the "before" reading, so JIT and pools are warm. */
export const MEMORY_WARMUP = 20_000;
/** The contract's "caches are bounded", as a figure: a million distinct tokens may not add this much. */
export const MEMORY_LIMIT_MB = 50;

export interface MemoryResult {
  name: string;
  alg: string;
  status: 'ok' | 'failed' | 'skipped';
  reason?: string;
  tokens?: number;
  rps?: number;
  non2xx?: number;
  statuses?: Record<string, number>;
  beforeMb?: number;
  afterMb?: number;
  peakMb?: number;
  growthMb?: number;
  passed?: boolean;
}

/** Sends `pool.size - MEMORY_WARMUP` distinct tokens to a fresh server and reads its RSS before and after. */
export async function memoryRun(ctx: BenchContext, target: Target, pool: Pool): Promise<MemoryResult> {
  const result: MemoryResult = { name: target.name, alg: pool.alg, status: 'ok' };
  if (!target.algorithms.includes(pool.alg))
    return { ...result, status: 'skipped', reason: `no ${pool.alg}` };
  const server = await startServer(
    target.name,
    pinned(ctx.pin.server, target.command),
    target.cwd,
    targetEnv(ctx, target),
  ).catch((e: Error) => e);
  if (server instanceof Error) return { ...result, status: 'failed', reason: server.message };
  try {
    const status = await probe(server.url, ctx.same.get(pool.alg) ?? '');
    if (status !== 200)
      return { ...result, status: 'failed', reason: `a valid ${pool.alg} token got ${status}` };
    const spec = {
      url: server.url,
      path: '/protected',
      connections: ctx.opts.connections,
      warmup: 0,
      duration: 0,
      runs: 1,
    };
    ctx.log(`${target.name}: memory warm-up, ${num(MEMORY_WARMUP)} distinct ${pool.alg} tokens`);
    await runLoad({ ...spec, amount: MEMORY_WARMUP, tokensFile: pool.file, offset: 0 }, server, ctx.pin.load);
    await sleep(1000);
    const beforeMb = server.rssMb();
    const tokens = pool.size - MEMORY_WARMUP;
    ctx.log(`${target.name}: ${num(tokens)} distinct ${pool.alg} tokens (RSS before: ${mb(beforeMb)} MB)`);
    const out = await runLoad(
      { ...spec, amount: tokens, tokensFile: pool.file, offset: MEMORY_WARMUP },
      server,
      ctx.pin.load,
    );
    await sleep(1000);
    const afterMb = server.rssMb();
    const run = out.runs[0];
    return {
      ...result,
      tokens: run?.requests ?? 0,
      rps: run?.rps ?? 0,
      non2xx: (run?.non2xx ?? 0) + (run?.errors ?? 0),
      statuses: { ...run?.statuses, ...(run?.errors ? { errors: run.errors } : {}) },
      beforeMb,
      afterMb,
      peakMb: server.peakRssMb(),
      growthMb: afterMb - beforeMb,
      passed: afterMb - beforeMb < MEMORY_LIMIT_MB,
    };
  } catch (e) {
    return { ...result, status: 'failed', reason: (e as Error).message };
  } finally {
    await server.stop();
  }
}

export function renderMemory(results: readonly MemoryResult[]): string {
  const columns = [
    'target',
    'alg',
    'tokens',
    'req/s',
    'non-2xx',
    'RSS before',
    'after',
    'peak',
    'growth MB',
    `< ${MEMORY_LIMIT_MB} MB`,
  ];
  const rows = results.map((r) =>
    r.status !== 'ok'
      ? [r.name, r.alg, `${r.status}: ${r.reason ?? ''}`]
      : [
          r.name,
          r.alg,
          num(r.tokens),
          num(r.rps),
          num(r.non2xx),
          mb(r.beforeMb),
          mb(r.afterMb),
          mb(r.peakMb),
          mb(r.growthMb),
          r.passed ? 'yes' : 'NO',
        ],
  );
  const table = renderTable(
    columns.map((title, i) => ({ title, align: i < 2 ? ('left' as const) : ('right' as const) })),
    rows,
  );
  const notes = results
    .filter((r) => r.non2xx)
    .map((r) => `${r.name}: answers by status: ${JSON.stringify(r.statuses)}`);
  return [table, ...notes].join('\n');
}
