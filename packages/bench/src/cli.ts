import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { MockIssuer, stopAll } from '@repo/test-fixtures';
import { type Options, parseOptions, USAGE } from './args.ts';
import { BURST, type Burst, coldBurst } from './burst.ts';
import { type Alg, ALGS, build, type Entry, REPO, select, YARDSTICK } from './entries.ts';
import { countLines } from './lines.ts';
import { findWrk } from './load.ts';
import { MEMORY_WARMUP, memoryRun } from './memory.ts';
import { runMicro } from './micro.ts';
import { measureEntry, type Row } from './pairs.ts';
import { pinning, pinSelf } from './proc.ts';
import { burstLine, renderChecks, renderMemory } from './report.ts';
import { judgeAgain, printRun } from './saved.ts';
import { type Ctx, start } from './serve.ts';
import { AUDIENCE, mintPool, type Pool } from './tokens.ts';
import { type Check, rowKey, unsettledWith, verdicts } from './verdicts.ts';

const log = (line: string) => console.error(`[bench] ${line}`);
let tokensDir = '';
const cleanUp = async () => {
  await stopAll();
  if (tokensDir) rmSync(tokensDir, { recursive: true, force: true });
};
/** Tokens outlive any run: a full run takes about an hour. */
const LIFETIME_S = 6 * 3600;

async function mint(ctx: Ctx, algs: readonly Alg[], size: number): Promise<void> {
  for (const alg of algs) {
    const t0 = performance.now();
    ctx.pools.set(alg, await mintPool(ctx.issuer, alg, size, tokensDir, LIFETIME_S));
    ctx.same.set(
      alg,
      ctx.issuer.mint(
        { scope: 'read', aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + LIFETIME_S },
        { alg },
      ),
    );
    log(
      `minted ${size.toLocaleString('en-US')} ${alg} tokens in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
}

/** The paired rows of every entry, the cold bursts, the line counts. */
async function paired(ctx: Ctx, entries: Entry[]) {
  const { opts } = ctx;
  const algs = ALGS.filter((a) => opts.algs.includes(a) && entries.some((e) => e.algorithms.includes(a)));
  await mint(
    ctx,
    opts.burst && !algs.includes('RS256') ? [...algs, 'RS256'] : algs,
    Math.max(opts.pool, BURST + 1),
  );
  pinSelf(ctx.pin);
  const micro = opts.micro ? await runMicro(ctx, opts.micro) : undefined;
  const yard = await start(ctx, YARDSTICK);
  const rows: Row[] = [];
  try {
    // A row gets more pairs while a verdict that reads it (with the rows so far) is within the noise.
    const unsettled = (row: Row) => unsettledWith(entries, rows, row);
    for (const e of entries) rows.push(...(await measureEntry(ctx, e, yard, unsettled)));
    // An app is measured before its peers, so a verdict against a peer may still be open on the
    // app's side: back to the app, while its rows have pairs to spare.
    for (const e of entries) {
      const again = rows.filter(
        (r) => r.name === e.name && !r.skipped && r.pairs.length < opts.maxPairs && unsettled(r),
      );
      if (!again.length) continue;
      log(
        `${e.name}: back for ${again.map((r) => r.alg).join(', ')}, a verdict against a peer within the noise`,
      );
      for (const r of await measureEntry(ctx, e, yard, unsettled, again))
        if (!r.skipped) rows[rows.findIndex((x) => rowKey(x) === rowKey(r))] = r;
    }
  } finally {
    await yard.server.stop();
  }
  const bursts: Burst[] = [];
  const rs = ctx.pools.get('RS256');
  if (opts.burst && rs) {
    // The pool's last tokens: distinct, and new to a freshly started server.
    const tokens = readFileSync(rs.file, 'latin1').trimEnd().split('\n').slice(-BURST);
    for (const e of entries.filter((x) => x.algorithms.includes('RS256'))) {
      bursts.push(await coldBurst(ctx, e, tokens));
      log(burstLine(bursts.at(-1) as Burst));
    }
  }
  return { rows, bursts, micro, ...countLines(entries) };
}

function write(opts: Options, data: unknown): void {
  const file = resolve(
    REPO,
    'packages/bench',
    // --quick never overwrites the published figures.
    opts.out ?? `results/${opts.memory ? 'memory' : opts.quick ? 'quick' : 'latest'}.json`,
  );
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  log(`wrote ${file}`);
}

async function main(): Promise<void> {
  let opts: Options;
  let selected: Entry[];
  try {
    opts = parseOptions(process.argv.slice(2));
    selected = select(opts.apps, opts.peers && !opts.memory, !opts.quick);
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (opts.help) return console.log(USAGE);
  if (opts.from) return judgeAgain(opts.from, log);
  const t0 = performance.now();
  // Each app's rows, then its other runtimes and its peers.
  const groups = [...new Set(selected.map((e) => e.group))];
  selected.sort((a, b) => groups.indexOf(a.group) - groups.indexOf(b.group));
  const wrk = opts.autocannon ? null : findWrk(log);
  const pin = pinning();
  log(`${pin.summary}; load generator: ${wrk ?? 'autocannon'}`);
  const missing = build(selected, opts.build, log);
  for (const [name, why] of missing) log(`${name}: not built: ${why}`);
  const entries = selected.filter((e) => !missing.has(e.name));
  const notBuilt: Check[] = selected
    .filter((e) => e.kind === 'app' && missing.has(e.name))
    .map((e) => ({ target: e.name, verdict: 'NOT COUNTED', detail: `not built: ${missing.get(e.name)}` }));
  const issuer = await MockIssuer.start({ algorithms: ALGS });
  tokensDir = mkdtempSync(`${tmpdir()}/repo-bench-`);
  const ctx: Ctx = { opts, issuer, pools: new Map(), same: new Map(), pin, wrk, log };
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    pinning: pin.summary,
    load: wrk ?? 'autocannon',
    options: opts,
  };
  try {
    if (opts.memory) {
      await mint(ctx, [opts.memoryAlg], MEMORY_WARMUP + opts.memoryTokens);
      pinSelf(pin);
      const pool = ctx.pools.get(opts.memoryAlg) as Pool;
      const memory = [];
      for (const e of entries) memory.push(await memoryRun(ctx, e, pool, opts.memoryTokens));
      const checks = [...verdicts({ entries, rows: [], bursts: [], lines: [], memory }), ...notBuilt];
      console.log(
        `\n== memory: distinct ${opts.memoryAlg} tokens ==\n${renderMemory(memory)}\n\n${renderChecks(checks)}`,
      );
      write(opts, { meta, memory, checks });
    } else {
      const result = await paired(ctx, entries);
      const checks = [...verdicts({ entries, ...result }), ...notBuilt];
      printRun(result, checks);
      write(opts, { meta, ...result, checks });
    }
    log(`${pin.summary}; ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    await issuer.close();
    await cleanUp();
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void cleanUp().then(() => process.exit(130)));

main().catch(async (e: Error) => {
  await cleanUp();
  console.error(`[bench] ${e.message}`);
  process.exit(1);
});
