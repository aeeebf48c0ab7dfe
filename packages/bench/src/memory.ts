import { setTimeout as sleep } from 'node:timers/promises';
import type { Entry } from './entries.ts';
import { loadWindow } from './load.ts';
import { treeRssMb } from './proc.ts';
import { type Ctx, start, status } from './serve.ts';
import type { Pool } from './tokens.ts';

/** Distinct tokens sent before the "before" reading, so that JIT and pools are warm. */
export const MEMORY_WARMUP = 20_000;

export interface Memory {
  name: string;
  tokens: number;
  answered: number;
  /** Non-2xx answers and socket errors; 5xx among them. */
  errors: number;
  fivexx: number;
  seconds: number;
  beforeMb: number;
  /** After half the tokens (absent from runs saved before it was read). */
  halfwayMb?: number;
  afterMb: number;
  peakMb: number;
  failed?: string;
}

/**
 * The contract's "caches are bounded", as a figure: a fresh server takes `tokens` distinct
 * tokens after a warm-up, in two halves; the RSS of its process tree is read a second after the
 * warm-up and after each half. A runtime may grow its heap to a working size in the first seconds
 * of sustained load (workerd does, by about 90 MB); a cache without a bound grows in both halves.
 */
export async function memoryRun(ctx: Ctx, entry: Entry, pool: Pool, tokens: number): Promise<Memory> {
  const result: Memory = {
    name: entry.name,
    tokens,
    answered: 0,
    errors: 0,
    fivexx: 0,
    seconds: 0,
    beforeMb: 0,
    afterMb: 0,
    peakMb: 0,
  };
  if (!entry.algorithms.includes(pool.alg)) return { ...result, failed: `no ${pool.alg}` };
  const running = await start(ctx, entry).catch((e: Error) => e);
  if (running instanceof Error) return { ...result, failed: running.message.split('\n')[0] };
  try {
    const code = await status(`${running.url}/protected`, ctx.same.get(pool.alg));
    if (code !== 200) return { ...result, failed: `a valid ${pool.alg} token got ${code}` };
    const send = (first: number, count: number) =>
      loadWindow(
        {
          url: `${running.url}/protected`,
          seconds: 0,
          connections: ctx.opts.connections,
          core: ctx.pin.load,
          pool: { file: pool.file, first, count },
        },
        ctx.wrk,
      );
    await send(0, MEMORY_WARMUP);
    await sleep(1000);
    result.beforeMb = treeRssMb(running.pid);
    ctx.log(
      `${entry.name}: ${tokens.toLocaleString('en-US')} distinct ${pool.alg} tokens, RSS before ${result.beforeMb.toFixed(1)} MB`,
    );
    const half = Math.floor(tokens / 2);
    const t0 = performance.now();
    const firstHalf = await send(MEMORY_WARMUP, half);
    result.seconds = (performance.now() - t0) / 1000;
    await sleep(1000);
    result.halfwayMb = treeRssMb(running.pid);
    const t1 = performance.now();
    const secondHalf = await send(MEMORY_WARMUP + half, tokens - half);
    result.seconds += (performance.now() - t1) / 1000;
    await sleep(1000);
    result.afterMb = treeRssMb(running.pid);
    result.peakMb = treeRssMb(running.pid, 'VmHWM');
    return {
      ...result,
      answered: firstHalf.requests + secondHalf.requests,
      errors: firstHalf.errors + secondHalf.errors,
      fivexx: firstHalf.fivexx + secondHalf.fivexx,
    };
  } finally {
    await running.server.stop();
  }
}
