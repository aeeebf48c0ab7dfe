import { describe, expect, it } from 'vitest';
import { median, pairFault, pairFigures, summarize } from '../src/stats.ts';
import { pair } from './pair.ts';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
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
  it('give the median and its interval of each figure over the pairs that count', () => {
    // auth 150, 250 (1e6/2857.14… − 100) and 50 µs: ÷ yardstick 1.5, 2.5, 0.5.
    const s = summarize([pair(4_000), pair(1e6 / 350), pair(1e6 / 150), pair(100, { loadCpu: 1 })]);
    expect(s.counted).toBe(3);
    expect(s.dropped).toEqual({ saturated: 1, errors: 0, noise: 0 });
    expect(s.counts).toBe(true);
    expect(s.figures?.vsYardstick.median).toBeCloseTo(1.5, 6);
    // 3 pairs: the interval is their min and max, at 75%.
    expect(s.figures?.vsYardstick.low).toBeCloseTo(0.5, 6);
    expect(s.figures?.vsYardstick.high).toBeCloseTo(2.5, 6);
    expect(s.figures?.vsYardstick.confidence).toBe(0.75);
    expect(s.figures?.vsYardstick.values).toHaveLength(3);
  });
  it('do not count when under half of them do', () => {
    const s = summarize([pair(), pair(4_000, { loadCpu: 0.99 }), pair(4_000, { errors: 3 })]);
    expect([s.counted, s.counts]).toEqual([1, false]);
    expect(summarize([]).figures).toBeNull();
  });
});
