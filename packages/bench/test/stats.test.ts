import { describe, expect, it } from 'vitest';
import { median, medianInterval, pairFault, pairFigures, shiftInterval, summarize } from '../src/stats.ts';
import { pair } from './pair.ts';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe("the median's interval (sign test)", () => {
  const upTo = (n: number) => Array.from({ length: n }, (_, i) => n - i); // n..1: the order must not matter
  it('is the narrowest pair of order statistics holding the median with 95% or more', () => {
    // Textbook values: n = 9: x(2)..x(8), 96.1%; n = 15: x(4)..x(12), 96.5%; n = 20: x(6)..x(15), 95.9%.
    expect(medianInterval(upTo(9))).toEqual({ low: 2, high: 8, confidence: 1 - 20 / 512 });
    expect(medianInterval(upTo(15))).toEqual({ low: 4, high: 12, confidence: 1 - 1152 / 32768 });
    expect(medianInterval(upTo(20))).toMatchObject({ low: 6, high: 15 });
    expect(medianInterval(upTo(20)).confidence).toBeCloseTo(0.9586, 4);
  });
  it('is min and max up to 8 values, with the confidence they have', () => {
    expect(medianInterval(upTo(7))).toEqual({ low: 1, high: 7, confidence: 1 - 2 / 128 });
    expect(medianInterval(upTo(8))).toMatchObject({ low: 1, high: 8 });
    expect(medianInterval(upTo(5))).toEqual({ low: 1, high: 5, confidence: 0.9375 }); // --quick: under 95%
    expect(medianInterval([3])).toEqual({ low: 3, high: 3, confidence: 0 });
    expect(medianInterval([]).low).toBeNaN();
  });
});

describe('the shift between two rows (Hodges–Lehmann)', () => {
  const from = (first: number, n: number) => Array.from({ length: n }, (_, i) => first + i);
  it("drops the differences Mann–Whitney's exact distribution allows at 95%", () => {
    // 7 and 7: 65 of the C(14, 7) = 3,432 orderings have U ≤ 8 (1.89%), 91 have U ≤ 9 (2.65%):
    // the 9th to the 41st of the 49 differences (counted by enumerating all 3,432).
    expect(shiftInterval(from(1, 7), from(1, 7))).toEqual({ low: -3, high: 3, confidence: 1 - 130 / 3432 });
    expect(shiftInterval(from(11, 7), from(1, 7))).toMatchObject({ low: 7, high: 13 }); // clear of 0
  });
  it('keeps every difference when the samples are too small for 95%, and says so', () => {
    // 3 and 3: U = 0 in 1 of 20 orderings, so even all 9 differences hold the shift with 90% only.
    expect(shiftInterval([1, 2, 3], [2, 3, 4])).toEqual({ low: -3, high: 1, confidence: 0.9 });
    expect(shiftInterval([], [1]).low).toBeNaN();
  });
});

describe('one pair', () => {
  it('splits auth into plumbing and verification, and sets it against the yardstick', () => {
    const f = pairFigures(pair());
    expect(f.health).toBe(10_000);
    expect(f.sameRatio).toBe(0.8);
    expect(f.plumbing).toBeCloseTo(25, 9); // 125 − 100 µs
    expect(f.verify).toBeCloseTo(125, 9); // 250 − 125
    expect(f.auth).toBeCloseTo(150, 9); // 250 − 100
    expect(f.vsYardstick).toBeCloseTo(1.5, 9); // 150 ÷ (200 − 100)
    expect(f.vsOpenssl).toBeNaN(); // no floor timed: not nginx
    expect(pairFigures({ ...pair(), floorUs: 100 }).vsOpenssl).toBeCloseTo(1.5, 9); // 150 ÷ 100
  });
  it('does not count when a load generator was near its core, or anything failed', () => {
    expect(pairFault(pair())).toBeNull();
    expect(pairFault(pair(4_000, { loadCpu: 0.95 }))).toBe('saturated');
    expect(pairFault(pair(4_000, { errors: 1 }))).toBe('errors');
    expect(pairFault(pair(0))).toBe('errors');
    expect(pairFault(pair(10_500))).toBe('noise'); // distinct faster than /health: auth below 0
  });
});

describe('the pairs together', () => {
  it('give the median and range of each figure over the pairs that count', () => {
    // auth 150, 250 (1e6/2857.14… − 100) and 50 µs: ÷ yardstick 1.5, 2.5, 0.5.
    const s = summarize([pair(4_000), pair(1e6 / 350), pair(1e6 / 150), pair(100, { loadCpu: 1 })]);
    expect(s.counted).toBe(3);
    expect(s.dropped).toEqual({ saturated: 1, errors: 0, noise: 0 });
    expect(s.counts).toBe(true);
    expect(s.figures?.vsYardstick.median).toBeCloseTo(1.5, 6);
    expect(s.figures?.vsYardstick.min).toBeCloseTo(0.5, 6);
    expect(s.figures?.vsYardstick.max).toBeCloseTo(2.5, 6);
    expect(s.figures?.vsYardstick.values).toHaveLength(3);
  });
  it('do not count when under half of them do', () => {
    const s = summarize([pair(), pair(4_000, { loadCpu: 0.99 }), pair(4_000, { errors: 3 })]);
    expect([s.counted, s.counts]).toEqual([1, false]);
    expect(summarize([]).figures).toBeNull();
  });
});
