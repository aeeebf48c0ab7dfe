import type { Pair, Window } from '../src/stats.ts';

export const w = (rps: number, extra: Partial<Window> = {}): Window => ({
  rps,
  requests: rps,
  errors: 0,
  loadCpu: 0.5,
  ...extra,
});
/** Target: health 10,000/s (100 µs), same 8,000 (125), distinct as given; yardstick 10,000 and 5,000 (200). */
export const pair = (distinct = 4_000, extra: Partial<Window> = {}): Pair => ({
  target: { health: w(10_000), same: w(8_000), distinct: w(distinct, extra) },
  yardstick: { health: w(10_000), distinct: w(5_000) },
});
