import { cpus } from 'node:os';
import { poolSize } from './args.ts';
import { coldBurst } from './burst.ts';
import { algsFor, type BenchContext } from './context.ts';
import { pinProcess } from './cpu.ts';
import { MEMORY_WARMUP, type MemoryResult, memoryRun, renderMemory } from './memory.ts';
import { runMicro } from './micro.ts';
import { mintPool } from './pool.ts';
import { burstLine, LEGEND, renderGroup, renderMicro, renderVsJose } from './report.ts';
import { benchTarget } from './scenarios.ts';
import { num } from './table.ts';
import type { Target } from './targets.ts';
import type { BenchAlg, TargetResult } from './types.ts';

/** Tokens outlive any run: a full run of every app and peer takes well under an hour. */
const TOKEN_LIFETIME_S = 6 * 3600;

export function meta(ctx: BenchContext) {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    pinning: ctx.pin.summary,
    options: ctx.opts,
    tokensPerPool: [...ctx.pools.values()].map((p) => ({ alg: p.alg, size: p.size })),
  };
}

async function mint(ctx: BenchContext, algs: Iterable<BenchAlg>, size: number, dir: string): Promise<void> {
  for (const alg of algs) {
    const started = performance.now();
    ctx.pools.set(alg, await mintPool(ctx.issuer, alg, size, dir, TOKEN_LIFETIME_S));
    ctx.same.set(
      alg,
      ctx.issuer.mint({ scope: 'read', exp: Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S }, { alg }),
    );
    ctx.log(`minted ${num(size)} ${alg} tokens in ${num((performance.now() - started) / 1000, 1)} s`);
  }
}

/** Figures for every runnable target: pools, micro-benchmark, then per framework its app and peers. */
export async function runBench(
  ctx: BenchContext,
  targets: readonly Target[],
  missing: TargetResult[],
  dir: string,
) {
  const algs = new Set(targets.flatMap((t) => algsFor(t, ctx.opts)));
  if (ctx.opts.burst && targets.some((t) => t.algorithms.includes('RS256'))) algs.add('RS256');
  await mint(ctx, [...algs].sort(), Math.max(poolSize(ctx.opts), 1000), dir);
  // From here on the harness (and its mock issuer) keeps to the load generator's core.
  pinProcess(process.pid, ctx.pin.load);
  ctx.log('micro-benchmark: in-process verify per library');
  const micro = await runMicro(
    ctx.issuer,
    [...ctx.pools.values()],
    ctx.opts.micro,
    ctx.opts.runs,
    ctx.pin.server,
  );
  const results: TargetResult[] = [];
  const tables: string[] = [];
  for (const group of [...new Set([...targets, ...missing].map((t) => t.group))]) {
    const done: TargetResult[] = missing.filter((m) => m.group === group);
    for (const target of targets.filter((t) => t.group === group)) {
      const result = await benchTarget(ctx, target);
      if (ctx.opts.burst && result.status === 'ok') {
        ctx.log(`${target.name}: cold burst`);
        result.burst = await coldBurst(ctx, target);
        ctx.log(`${target.name}: ${burstLine(result.burst)}`);
      }
      done.push(result);
    }
    results.push(...done);
    tables.push(renderGroup(group, done, micro));
    console.log(`\n${tables.at(-1)}`);
  }
  const vsJose = renderVsJose(results, micro);
  if (vsJose) console.log(`\n== jose's own cost in a server, and each app's ==\n${vsJose}`);
  return { micro, results, tables, microTable: renderMicro(micro), legend: LEGEND };
}

/** The memory scenario: one pool of warm-up + N distinct tokens, each app in turn. */
export async function runMemory(ctx: BenchContext, targets: readonly Target[], dir: string) {
  const alg = ctx.opts.memoryAlg;
  await mint(ctx, [alg], MEMORY_WARMUP + ctx.opts.memoryTokens, dir);
  pinProcess(process.pid, ctx.pin.load);
  const pool = ctx.pools.get(alg);
  const results: MemoryResult[] = [];
  for (const target of targets) if (pool) results.push(await memoryRun(ctx, target, pool));
  return { results, table: renderMemory(results) };
}
