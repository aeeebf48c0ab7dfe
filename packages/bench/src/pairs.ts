import type { Alg, Entry } from './entries.ts';
import { opensslVerifyUs } from './floor.ts';
import { type Ctx, type Running, start, status, window } from './serve.ts';
import { type Pair, pairFault, pairFigures } from './stats.ts';

/** One target and algorithm: its pairs with the yardstick, or why it has none. */
export interface Row {
  name: string;
  alg: Alg;
  pairs: Pair[];
  /** The baseline its same token was read against. */
  baseline: string;
  /** More distinct requests went to the target than the pool holds: tokens came round again. */
  wrapped: boolean;
  skipped?: string;
}

const f2 = (x: number) => x.toFixed(2);

/** Whether a verdict that reads this row is still within the noise (verdicts.ts: UNSETTLED). */
export type Unsettled = (row: Row) => boolean;

/**
 * Adjacent windows, the target's (baseline, same token, distinct tokens) and the yardstick's
 * (health, distinct), the order swapped each pair, so that each pair's ratios are taken within
 * seconds of each other: the host's swings are slow next to that, and mostly cancel. After
 * `--pairs`, more pairs while `unsettled`, up to `--max-pairs`: more pairs narrow the median's
 * interval, so a figure near its limit gets the pairs that can settle it, and no other does.
 */
export async function measureRow(
  ctx: Ctx,
  target: Running,
  yard: Running,
  alg: Alg,
  unsettled: Unsettled = () => false,
  earlier?: Row,
): Promise<Row> {
  const { pairs: n, maxPairs, duration, warmup } = ctx.opts;
  const row = (pairs: Pair[]): Row => ({
    name: target.entry.name,
    alg,
    pairs,
    baseline: target.baseline,
    wrapped: earlier?.wrapped || (target.sent[alg] ?? 0) > (ctx.pools.get(alg)?.size ?? 0),
  });
  const w = (s: Running, kind: 'health' | 'same' | 'distinct', seconds = duration) =>
    window(ctx, s, kind, alg, seconds);
  if (warmup > 0) {
    await w(target, 'same', warmup);
    await w(target, 'distinct', warmup);
    await w(yard, 'distinct', warmup);
  }
  const pairs = [...(earlier?.pairs ?? [])]; // a row taken up again goes on from its pairs
  for (let i = pairs.length; i < n || (i < maxPairs && unsettled(row(pairs))); i++) {
    const ofTarget = async () => ({
      health: await w(target, 'health'),
      same: await w(target, 'same'),
      distinct: await w(target, 'distinct'),
    });
    const ofYard = async () => ({ health: await w(yard, 'health'), distinct: await w(yard, 'distinct') });
    let pair: Pair;
    if (i % 2 === 0) pair = { target: await ofTarget(), yardstick: await ofYard() };
    else {
      const yardstick = await ofYard();
      pair = { target: await ofTarget(), yardstick };
    }
    if (target.entry.floor) pair.floorUs = await opensslVerifyUs(ctx.pin.server, alg, duration);
    pairs.push(pair);
    const f = pairFigures(pair);
    const fault = pairFault(pair);
    ctx.log(
      `${target.entry.name} ${alg} pair ${i + 1}${i < n ? `/${n}` : ` (within the noise so far; up to ${maxPairs})`}: ÷ yardstick ${f2(f.vsYardstick)}, same ÷ ${target.baseline} ${f2(f.sameRatio)}${pair.floorUs ? `, ÷ OpenSSL verify ${f2(f.vsOpenssl)}` : ''}${fault ? ` (${fault}: not counted)` : ''}`,
    );
  }
  return row(pairs);
}

/**
 * Starts an entry, checks a valid token gets 200 for each algorithm, measures its rows, stops it.
 * With `earlier`, only those rows, each going on from its pairs (a fresh process: warmed up again).
 */
export async function measureEntry(
  ctx: Ctx,
  entry: Entry,
  yard: Running,
  unsettled?: Unsettled,
  earlier?: readonly Row[],
): Promise<Row[]> {
  const algs = entry.algorithms.filter(
    (a) => ctx.opts.algs.includes(a) && (!earlier || earlier.some((r) => r.alg === a)),
  );
  const skipped = (alg: Alg, why: string): Row => ({
    name: entry.name,
    alg,
    pairs: [],
    baseline: '',
    wrapped: false,
    skipped: why,
  });
  const first = (e: unknown) => String((e as Error).message).split('\n')[0] as string;
  if (!algs.length) return [];
  let target: Running;
  try {
    target = await start(ctx, entry);
  } catch (e) {
    return algs.map((alg) => skipped(alg, first(e)));
  }
  const rows: Row[] = [];
  try {
    for (const alg of algs) {
      // An app that refuses a valid token would otherwise be timed answering 401s.
      const code = await status(`${target.url}/protected`, ctx.same.get(alg));
      if (code !== 200) {
        rows.push(skipped(alg, `a valid ${alg} token got ${code || 'no answer'}`));
        continue;
      }
      const from = earlier?.find((r) => r.alg === alg);
      rows.push(
        await measureRow(ctx, target, yard, alg, unsettled, from).catch((e) => skipped(alg, first(e))),
      );
    }
  } finally {
    await target.server.stop();
  }
  return rows;
}
