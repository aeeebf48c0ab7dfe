/**
 * How far the noise reaches: distribution-free intervals, for a median (the sign test's) and for
 * the shift between two samples (Hodges–Lehmann's, from Mann–Whitney's test). Pure arithmetic.
 */

/** What the verdicts call beyond the noise. */
export const CONFIDENCE = 0.95;

/**
 * The sign test's interval for a median, which assumes nothing of the noise's shape: the k-th
 * smallest to the k-th largest of n values holds the true median with probability
 * 1 − 2·P(Binomial(n, ½) < k). The narrowest with at least CONFIDENCE, else [min, max] with what
 * it has: 5 pairs, [min, max] at 94%; 7 or 8, [min, max] at 98-99%; 15, the 4th to the 12th at 96%.
 */
export function medianInterval(values: readonly number[]): { low: number; high: number; confidence: number } {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return { low: Number.NaN, high: Number.NaN, confidence: 0 };
  let best = { k: 1, confidence: 1 - 2 / 2 ** n };
  let term = 1; // C(n, k − 1)
  let below = 0; // 2^n · P(Binomial(n, ½) < k)
  for (let k = 1; 2 * k <= n + 1; k++) {
    below += term;
    term = (term * (n - k + 1)) / k;
    const confidence = 1 - (2 * below) / 2 ** n;
    if (confidence < CONFIDENCE) break;
    best = { k, confidence };
  }
  const { k, confidence } = best;
  return { low: s[k - 1] as number, high: s[n - k] as number, confidence: Math.max(0, confidence) };
}

/** How many orderings of n and m values give Mann–Whitney's U = u, for u = 0..n·m (no ties). */
function uCounts(n: number, m: number, memo = new Map<string, number[]>()): number[] {
  if (n === 0 || m === 0) return [1];
  const key = `${n},${m}`;
  const known = memo.get(key);
  if (known) return known;
  // The largest value is an a (above all m b's: U gains m) or a b (U gains nothing).
  const [lastA, lastB] = [uCounts(n - 1, m, memo), uCounts(n, m - 1, memo)];
  const counts = Array.from({ length: n * m + 1 }, (_, u) => (lastA[u - m] ?? 0) + (lastB[u] ?? 0));
  memo.set(key, counts);
  return counts;
}

/**
 * Where the shift between two rows measured apart lies, a − b: the Hodges–Lehmann interval of
 * Mann–Whitney's test. Of the n·m differences a_i − b_j, the k-th smallest to the k-th largest,
 * k the largest with 2·P(U < k) ≤ 1 − CONFIDENCE (U's distribution counted exactly); else all of
 * them, with the confidence they have. 7 and 7 values: the 9th to the 41st of 49 differences, 96%.
 */
export function shiftInterval(a: readonly number[], b: readonly number[]) {
  const diffs = a.flatMap((x) => b.map((y) => x - y)).sort((p, q) => p - q);
  if (diffs.length === 0) return { low: Number.NaN, high: Number.NaN, confidence: 0 };
  const counts = uCounts(a.length, b.length);
  const total = counts.reduce((x, y) => x + y, 0);
  let [k, below] = [1, counts[0] as number];
  while (k < diffs.length / 2 && 2 * (below + (counts[k] as number)) <= (1 - CONFIDENCE) * total)
    below += counts[k++] as number;
  const [low, high] = [diffs[k - 1] as number, diffs[diffs.length - k] as number];
  return { low, high, confidence: 1 - (2 * below) / total };
}
