import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { MockIssuer } from '@repo/test-fixtures';
import { type Options, parseOptions, USAGE } from './args.ts';
import type { BenchContext } from './context.ts';
import { detectPinning } from './cpu.ts';
import { meta, runBench, runMemory } from './run.ts';
import { stopAll } from './server.ts';
import { BENCH_DIR, build, isBuilt, selectTargets, type Target } from './targets.ts';
import { BENCH_ALGS, type TargetResult } from './types.ts';

const log = (line: string) => console.error(`[bench] ${line}`);
/** The token pools' folder, removed however the run ends. */
let tokensDir: string | null = null;
const removeTokens = () => {
  if (tokensDir) rmSync(tokensDir, { recursive: true, force: true });
};

/** Builds the apps (or checks they are built); the ones that are not come back as results with a reason. */
async function prepare(
  opts: Options,
  targets: Target[],
): Promise<{ ready: Target[]; missing: TargetResult[] }> {
  const ready: Target[] = [];
  const missing: TargetResult[] = [];
  for (const t of targets) {
    if (opts.build && t.kind === 'app') log(`building ${t.name}`);
    const reason = opts.build ? await build(t) : null;
    const why = reason ?? (isBuilt(t) ? null : `no ${t.command.at(-1)} (run pnpm build in apps/${t.name})`);
    if (why) {
      log(`${t.name}: not built: ${why}`);
      missing.push({
        name: t.name,
        group: t.group,
        kind: t.kind,
        library: t.library,
        status: 'not built',
        reason: why,
        scenarios: [],
      });
    } else ready.push(t);
  }
  return { ready, missing };
}

async function main(): Promise<void> {
  let opts: Options;
  let all: Target[];
  try {
    opts = parseOptions(process.argv.slice(2));
    all = opts.help ? [] : selectTargets(opts.apps, opts.peers && !opts.memory);
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  const pin = detectPinning();
  log(pin.summary);
  const { ready, missing } = await prepare(opts, all);
  const issuer = await MockIssuer.start({ algorithms: BENCH_ALGS });
  const dir = mkdtempSync(`${tmpdir()}/repo-bench-`);
  tokensDir = dir;
  const ctx: BenchContext = { issuer, pools: new Map(), same: new Map(), opts, pin, log };
  const out = resolve(BENCH_DIR, opts.out ?? (opts.memory ? 'results/memory.json' : 'results/latest.json'));
  try {
    if (opts.memory) {
      const { results, table } = await runMemory(ctx, ready, dir);
      console.log(`\n== memory: distinct ${opts.memoryAlg} tokens ==\n${table}\n${pin.summary}`);
      for (const m of missing) console.log(`${m.name}: not built: ${m.reason}`);
      write(out, { meta: meta(ctx), memory: results, missing });
    } else {
      const report = await runBench(ctx, ready, missing, dir);
      const order = all.map((t) => t.name);
      const results = report.results.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
      console.log(
        `\n== verify, in-process (median of ${opts.runs} × ${opts.micro} s) ==\n${report.microTable}`,
      );
      console.log(
        `\n${report.legend}\n${pin.summary}; figures are medians of ${opts.runs} runs of ${opts.duration} s after ${opts.warmup} s warm-up, ${opts.connections} connections.`,
      );
      write(out, { meta: meta(ctx), micro: report.micro, targets: results });
    }
    log(`wrote ${out}`);
  } finally {
    await stopAll();
    await issuer.close();
    removeTokens();
  }
}

function write(file: string, data: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the servers`);
    void stopAll().then(() => {
      removeTokens();
      process.exit(130);
    });
  });
}

main().catch(async (e: Error) => {
  await stopAll();
  removeTokens();
  console.error(`[bench] ${e.message}`);
  process.exit(1);
});
