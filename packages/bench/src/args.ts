import { parseArgs } from 'node:util';
import { BENCH_ALGS, type BenchAlg } from './types.ts';

export interface Options {
  help: boolean;
  apps: string[] | null;
  peers: boolean;
  build: boolean;
  burst: boolean;
  memory: boolean;
  quick: boolean;
  /** Seconds. */
  warmup: number;
  duration: number;
  runs: number;
  connections: number;
  /** Distinct tokens minted per algorithm; null: enough that no run repeats one (see poolSize). */
  pool: number | null;
  algs: BenchAlg[];
  /** Seconds per micro-benchmark run. */
  micro: number;
  memoryTokens: number;
  memoryAlg: BenchAlg;
  out: string | null;
}

/** Distinct-token pools are sized for this throughput, above anything one core has verified here. */
export const POOL_RATE = 15_000;
export const MIN_POOL = 50_000;
const num = (n: number) => n.toLocaleString('en-US');

export const USAGE = `usage: pnpm bench [options]
  --app NAME          only this app and its peers (repeatable, or comma-separated): koa hono nitro loopback nginx
  --quick             a short try-out: 0.5 s warm-up, 3 runs of 1 s
  --warmup S          warm-up seconds before the timed runs (default 2)
  --duration S        seconds per timed run (default 5)
  --runs N            timed runs per figure; figures are their median (default 3)
  --connections N     concurrent connections of the load generator (default 32)
  --pool N            distinct tokens minted per algorithm (default: enough for ${num(POOL_RATE)} req/s
                      through the warm-up and every run, at least ${num(MIN_POOL)})
  --algs LIST         algorithms to load (default RS256,ES256,EdDSA; each app gets those it supports)
  --micro S           seconds per in-process verify micro-benchmark run (default 1)
  --no-build          use the apps as already built
  --no-peers          skip the peer apps in packages/bench/peers
  --no-burst          skip the cold-burst scenario
  --memory            only the memory scenario: --memory-tokens distinct tokens (default 1,000,000)
                      of --memory-alg (default ES256) into each app, RSS before and after
  --out FILE          where to write the JSON (default results/latest.json, results/memory.json)
  --help              this text`;

/**
 * Tokens per pool: as given, or enough that a distinct-token scenario (warm-up plus runs, one
 * load-generator process) never sends the same token twice at up to POOL_RATE req/s.
 */
export function poolSize(opts: Pick<Options, 'pool' | 'warmup' | 'runs' | 'duration'>): number {
  return opts.pool ?? Math.max(MIN_POOL, Math.ceil(POOL_RATE * (opts.warmup + opts.runs * opts.duration)));
}

function positive(name: string, raw: string | undefined, fallback: number, integer: boolean): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}"`);
  }
  return value;
}

function alg(raw: string): BenchAlg {
  const found = BENCH_ALGS.find((a) => a.toLowerCase() === raw.trim().toLowerCase());
  if (!found) throw new Error(`unknown algorithm "${raw}"; choose from ${BENCH_ALGS.join(', ')}`);
  return found;
}

/** Parses the command line; throws an Error with a one-line message on bad input. */
export function parseOptions(argv: readonly string[]): Options {
  const str = { type: 'string' } as const;
  const bool = { type: 'boolean' } as const;
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      app: { type: 'string', multiple: true },
      help: bool,
      quick: bool,
      memory: bool,
      'no-build': bool,
      'no-peers': bool,
      'no-burst': bool,
      warmup: str,
      duration: str,
      runs: str,
      connections: str,
      pool: str,
      algs: str,
      micro: str,
      'memory-tokens': str,
      'memory-alg': str,
      out: str,
    },
  });
  const quick = values.quick === true;
  const apps = values.app
    ?.flatMap((a) => a.split(','))
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
  return {
    help: values.help === true,
    apps: apps?.length ? apps : null,
    peers: values['no-peers'] !== true,
    build: values['no-build'] !== true,
    burst: values['no-burst'] !== true,
    memory: values.memory === true,
    quick,
    warmup: positive('warmup', values.warmup, quick ? 0.5 : 2, false),
    duration: positive('duration', values.duration, quick ? 1 : 5, false),
    runs: positive('runs', values.runs, 3, true),
    connections: positive('connections', values.connections, 32, true),
    pool: values.pool === undefined ? null : positive('pool', values.pool, 0, true),
    algs: values.algs ? [...new Set(values.algs.split(',').map(alg))] : [...BENCH_ALGS],
    micro: positive('micro', values.micro, quick ? 0.25 : 1, false),
    memoryTokens: positive('memory-tokens', values['memory-tokens'], 1_000_000, true),
    memoryAlg: alg(values['memory-alg'] ?? 'ES256'),
    out: values.out ?? null,
  };
}
