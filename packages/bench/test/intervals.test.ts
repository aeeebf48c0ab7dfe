import { describe, expect, it } from 'vitest';
import { medianInterval, shiftInterval } from '../src/intervals.ts';

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
