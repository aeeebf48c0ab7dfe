import { describe, expect, it } from 'vitest';
import { authCostUs, median, medianFigures, percentile, ratio, Samples } from '../src/stats.ts';
import type { RunResult } from '../src/types.ts';

const run = (rps: number, p50: number, p99: number): RunResult => ({
  rps,
  p50,
  p99,
  requests: 0,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  statuses: {},
  clientCpu: 0,
  serverCpu: 0,
});

describe('median', () => {
  it('takes the middle of an odd count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
  });
  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('is NaN for no values and does not reorder its input', () => {
    expect(median([])).toBeNaN();
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
  it('takes each figure of a set of runs separately', () => {
    expect(medianFigures([run(100, 9, 30), run(300, 1, 10), run(200, 5, 20)])).toEqual({
      rps: 200,
      p50: 5,
      p99: 20,
    });
    expect(medianFigures([])).toBeNull();
  });
});

describe('the cost of auth', () => {
  it('is the difference of the per-request times, in microseconds', () => {
    // 10,000 req/s = 100 µs per request; 4,000 req/s = 250 µs: auth adds 150 µs.
    expect(authCostUs(4_000, 10_000)).toBeCloseTo(150, 9);
  });
  it('is negative when the protected route is faster (noise, or a cache)', () => {
    expect(authCostUs(20_000, 10_000)).toBeCloseTo(-50, 9);
  });
  it('has no value without two throughputs', () => {
    expect(authCostUs(0, 10_000)).toBeNaN();
    expect(authCostUs(5_000, Number.NaN)).toBeNaN();
  });
  it('ratio is protected over health', () => {
    expect(ratio(2_500, 10_000)).toBe(0.25);
    expect(ratio(1, 0)).toBeNaN();
  });
});

describe('percentiles', () => {
  it('uses the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
  it('Samples grows past its first buffer and sorts numerically', () => {
    const samples = new Samples();
    for (let i = 200_000; i >= 1; i--) samples.add(i / 1000);
    expect(samples.count).toBe(200_000);
    expect(samples.percentiles()).toEqual({ p50: 100, p99: 198 });
  });
});
