import type { Figures, RunResult } from './types.ts';

/** The middle value (mean of the two middle ones for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Each figure is the median over the runs, taken figure by figure. */
export function medianFigures(runs: readonly RunResult[]): Figures | null {
  if (runs.length === 0) return null;
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
  };
}

/**
 * What authentication adds to one request, in microseconds of the server's single core:
 * 1/rps(protected) − 1/rps(health). With the server saturated on one core, 1/rps is the
 * core time a request takes, so the difference is the time spent on the token.
 */
export function authCostUs(rpsProtected: number, rpsHealth: number): number {
  if (!(rpsProtected > 0) || !(rpsHealth > 0)) return Number.NaN;
  return (1 / rpsProtected - 1 / rpsHealth) * 1e6;
}

/** Throughput kept with auth on: 1.0 means auth is free, 0.5 means it halves the ceiling. */
export function ratio(rpsProtected: number, rpsHealth: number): number {
  return rpsHealth > 0 ? rpsProtected / rpsHealth : Number.NaN;
}

/** Mean over runs of a share (CPU use), NaN-safe. */
export function mean(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : Number.NaN;
}

/** Nearest-rank percentile (p in 0..100) of values sorted ascending; NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Latencies collected one by one into a growing typed array, read back as sorted percentiles. */
export class Samples {
  #values = new Float64Array(1 << 16);
  #count = 0;
  add(value: number): void {
    if (this.#count === this.#values.length) {
      const bigger = new Float64Array(this.#values.length * 2);
      bigger.set(this.#values);
      this.#values = bigger;
    }
    this.#values[this.#count++] = value;
  }
  get count(): number {
    return this.#count;
  }
  /** The p50 and p99 of what was added, in the unit it was added in. */
  percentiles(): { p50: number; p99: number } {
    const sorted = this.#values.slice(0, this.#count).sort();
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  }
}
