import { parseArgs } from 'node:util';
import { type Alg, ALGS } from './entries.ts';

export interface Options {
  help: boolean;
  apps: string[] | null;
  peers: boolean;
  build: boolean;
  burst: boolean;
  memory: boolean;
  quick: boolean;
  autocannon: boolean;
  /** Seconds: of each window, and of the warm-up before a row's pairs. */
  duration: number;
  warmup: number;
  pairs: number;
  /** While a verdict of a row is UNSETTLED, more pairs, up to this many in all. */
  maxPairs: number;
  connections: number;
  /** Distinct tokens minted per algorithm, sent round and round. */
  pool: number;
  algs: Alg[];
  /** Seconds per in-process verify timing; 0: none. */
  micro: number;
  memoryTokens: number;
  memoryAlg: Alg;
  out: string | null;
  /** A saved run to judge again: nothing is measured. */
  from: string | null;
}

export const USAGE = `usage: pnpm bench [options]
  --app NAME          only this app, its other runtimes and its peers (repeatable, or comma-separated)
  --quick             all apps in at most 5 minutes: 5 pairs of 1 s windows, RS256, a pool of 100,000;
                      no peers, other runtimes, burst or micro
  --pairs N           pairs of adjacent windows per row (default 7)
  --max-pairs N       while a verdict of the row is within the noise, more pairs, up to N in all
                      (default 15; --quick: --pairs)
  --duration S        seconds per window, whole (default 3)
  --warmup S          seconds of untimed load on the row's target and the yardstick first (default 2)
  --connections N     connections of the load generator (default 32)
  --pool N            distinct tokens minted per algorithm (default 100,000: more than any app's cache holds)
  --algs LIST         algorithms (default RS256,ES256,EdDSA; each target gets those it supports)
  --micro S           seconds per in-process verify timing, 0 for none (default 1)
  --no-build          use the apps as already built
  --no-peers          skip the peers (packages/bench/peers, the conformance suite's peers)
  --no-burst          skip the cold burst
  --autocannon        load with autocannon even where wrk is installed
  --memory            only the memory run: --memory-tokens distinct tokens (default 1,000,000) of
                      --memory-alg (default ES256) into each app, RSS before and after
  --out FILE          the JSON (default results/latest.json; results/quick.json, results/memory.json)
  --from FILE         judge a saved run again (its table and verdicts by this version's rules);
                      measures nothing
  --help              this text`;

function positive(name: string, raw: string | undefined, fallback: number, zero = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < (zero ? 0 : 1))
    throw new Error(`--${name} must be a whole number${zero ? '' : ' above 0'}, got "${raw}"`);
  return value;
}

/** The memory run sends its tokens in two halves, RSS read after each: at least one token each. */
function halves(tokens: number): number {
  if (tokens < 2) throw new Error(`--memory-tokens must be at least 2 (sent in two halves), got ${tokens}`);
  return tokens;
}

function alg(raw: string): Alg {
  const found = ALGS.find((a) => a.toLowerCase() === raw.trim().toLowerCase());
  if (!found) throw new Error(`unknown algorithm "${raw}"; choose from ${ALGS.join(', ')}`);
  return found;
}

/** Parses the command line; throws an Error with a one-line message on bad input. */
export function parseOptions(argv: readonly string[]): Options {
  const str = { type: 'string' } as const;
  const bool = { type: 'boolean' } as const;
  const { values: v } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      app: { type: 'string', multiple: true },
      ...{ help: bool, quick: bool, memory: bool, autocannon: bool },
      ...{ 'no-build': bool, 'no-peers': bool, 'no-burst': bool },
      ...{ pairs: str, duration: str, warmup: str, connections: str, pool: str, algs: str, micro: str },
      ...{ 'memory-tokens': str, 'memory-alg': str, out: str, 'max-pairs': str, from: str },
    },
  });
  const quick = v.quick === true;
  const pairs = positive('pairs', v.pairs, quick ? 5 : 7);
  const maxPairs = Math.max(pairs, positive('max-pairs', v['max-pairs'], quick ? pairs : 15));
  // 50 pairs of five windows is over ten minutes a row; the intervals' exact counts stay small.
  if (maxPairs > 50) throw new Error(`--pairs and --max-pairs must be at most 50, got ${maxPairs}`);
  const apps = v.app?.flatMap((a) => a.split(',').map((s) => s.trim().toLowerCase())).filter(Boolean);
  return {
    help: v.help === true,
    apps: apps?.length ? apps : null,
    peers: !quick && v['no-peers'] !== true,
    build: v['no-build'] !== true,
    burst: !quick && v['no-burst'] !== true,
    memory: v.memory === true,
    quick,
    autocannon: v.autocannon === true,
    pairs,
    maxPairs,
    duration: positive('duration', v.duration, quick ? 1 : 3),
    warmup: positive('warmup', v.warmup, quick ? 1 : 2, true),
    connections: positive('connections', v.connections, 32),
    pool: positive('pool', v.pool, 100_000),
    algs: v.algs ? [...new Set(v.algs.split(',').map(alg))] : quick ? ['RS256'] : [...ALGS],
    micro: positive('micro', v.micro, quick ? 0 : 1, true),
    memoryTokens: halves(positive('memory-tokens', v['memory-tokens'], 1_000_000)),
    memoryAlg: alg(v['memory-alg'] ?? 'ES256'),
    out: v.out ?? null,
    from: v.from ?? null,
  };
}
