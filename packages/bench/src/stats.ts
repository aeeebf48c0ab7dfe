/** The pure arithmetic of paired windows: what one pair says, and what the pairs say together. */
import { medianInterval } from './intervals.ts';

/** One load window as the load generator saw it. */
export interface Window {
  rps: number;
  /** Answers counted by the load generator. */
  requests: number;
  /** Answers other than 2xx/3xx, plus socket errors and time-outs. */
  errors: number;
  /** Share of one core the load generator used (from /proc): near 1, it was the limit. */
  loadCpu: number;
  p50?: number;
  p99?: number;
}

/** The windows of one pair: the target's health (or its baseline), same token, distinct tokens; the yardstick's. */
export interface Pair {
  target: { health: Window; same: Window; distinct: Window };
  yardstick: { health: Window; distinct: Window };
  /** µs of OpenSSL's own verify, timed right after the target's windows (nginx only). */
  floorUs?: number;
}

/**
 * A load generator at this share of its core is taken to be the limit. On this machine wrk used
 * 97-99% at 74,000 req/s (nginx's /health: wrk's ceiling) but already 86-93% at 41,000 against
 * jose-http, a server that was the limit: its CPU share is not linear in req/s.
 */
export const SATURATED = 0.95;

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Core µs one request costs a saturated single-core server at this throughput. */
const us = (w: Window) => 1e6 / w.rps;

/**
 * Why a pair does not count, or null when it does: a failed window; a load generator near its
 * core (the client, not the server, may have been the limit); or auth that came out free or
 * negative for the target or the yardstick (a window disturbed beyond what a ratio can carry).
 */
export function pairFault(pair: Pair): 'saturated' | 'errors' | 'noise' | null {
  const { target: t, yardstick: y } = pair;
  const all = [t.health, t.same, t.distinct, y.health, y.distinct];
  if (all.some((w) => w.errors > 0 || !(w.rps > 0))) return 'errors';
  if (all.some((w) => w.loadCpu >= SATURATED)) return 'saturated';
  if (us(t.distinct) <= us(t.health) || us(y.distinct) <= us(y.health)) return 'noise';
  return null;
}

/**
 * What one pair says. auth = 1/rps(distinct) − 1/rps(health): the core time a fresh token adds;
 * plumbing = 1/rps(same) − 1/rps(health): the framework's auth wiring on a cached token;
 * verify = distinct − same: the verification itself. vsYardstick = auth ÷ the yardstick's auth,
 * taken from adjacent windows so that the host's slow swings cancel.
 */
export function pairFigures(pair: Pair) {
  const { target: t, yardstick: y } = pair;
  const auth = us(t.distinct) - us(t.health);
  return {
    health: t.health.rps,
    sameRatio: t.same.rps / t.health.rps,
    plumbing: us(t.same) - us(t.health),
    verify: us(t.distinct) - us(t.same),
    auth,
    vsYardstick: auth / (us(y.distinct) - us(y.health)),
    vsOpenssl: pair.floorUs ? auth / pair.floorUs : Number.NaN,
  };
}
export type Figure = keyof ReturnType<typeof pairFigures>;
export const FIGURES: readonly Figure[] = [
  'health',
  'sameRatio',
  'plumbing',
  'verify',
  'auth',
  'vsYardstick',
  'vsOpenssl',
];

export interface Spread {
  median: number;
  /** Where the median lies, beyond the noise: see `medianInterval`. */
  low: number;
  high: number;
  /** The chance that interval holds the true median (0.98 for 7 pairs). */
  confidence: number;
  /** Every counted pair's value, in the order measured. */
  values: number[];
}

export interface Summary {
  figures: Record<Figure, Spread> | null;
  counted: number;
  dropped: { saturated: number; errors: number; noise: number };
  /** Fewer than half the pairs counted: the row is marked and no verdict is read from it. */
  counts: boolean;
}

/** Median and its interval of every figure over the pairs that count. */
export function summarize(pairs: readonly Pair[]): Summary {
  const dropped = { saturated: 0, errors: 0, noise: 0 };
  const good: Pair[] = [];
  for (const p of pairs) {
    const fault = pairFault(p);
    if (fault) dropped[fault]++;
    else good.push(p);
  }
  const counts = good.length > 0 && good.length * 2 >= pairs.length;
  if (!good.length) return { figures: null, counted: 0, dropped, counts };
  const each = good.map(pairFigures);
  const spread = (f: Figure): Spread => {
    const values = each.map((e) => e[f]);
    return { median: median(values), ...medianInterval(values), values };
  };
  const figures = Object.fromEntries(FIGURES.map((f) => [f, spread(f)])) as Record<Figure, Spread>;
  return { figures, counted: good.length, dropped, counts };
}
