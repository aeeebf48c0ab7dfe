import type { Burst } from './burst.ts';
import type { Memory } from './memory.ts';
import type { Row } from './pairs.ts';
import { type Spread, summarize } from './stats.ts';
import type { Check } from './verdicts.ts';

/** Plain-text columns: the first two left-aligned, the rest right-aligned; µs counts as one character. */
export function renderTable(
  titles: readonly string[],
  rows: readonly (readonly string[])[],
  left = 2,
): string {
  const width = (s: string) => [...s].length;
  const widths = titles.map((t, i) => Math.max(width(t), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    titles
      .map((_, i) => {
        const cell = cells[i] ?? '';
        const gap = ' '.repeat((widths[i] ?? 0) - width(cell));
        return i < left ? cell + gap : gap + cell;
      })
      .join('  ')
      .trimEnd();
  return [line(titles), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const num = (x: number | undefined, decimals = 0): string =>
  x === undefined || !Number.isFinite(x)
    ? '–'
    : x.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
const range = (s: Spread | undefined) =>
  s ? `${num(s.median, 2)} [${num(s.low, 2)}–${num(s.high, 2)}]` : '–';

export const TITLES = [
  'target',
  'alg',
  'baseline req/s',
  'same ÷ baseline',
  'plumbing µs',
  'verify µs',
  'auth µs',
  '÷ yardstick',
  '÷ OpenSSL',
  'pairs',
];

/** One line per target and algorithm: medians over the pairs that count, ratios with their range. */
export function rowCells(row: Row): string[] {
  if (row.skipped) return [row.name, row.alg, `skipped: ${row.skipped}`];
  const { figures: f, counted, counts, dropped } = summarize(row.pairs);
  const marks = `${dropped.saturated ? '!' : ''}${dropped.errors ? 'E' : ''}${dropped.noise ? '~' : ''}${counts ? '' : ' not counted'}${row.wrapped ? '*' : ''}`;
  return [
    row.name,
    row.alg,
    num(f?.health.median),
    range(f?.sameRatio),
    num(f?.plumbing.median, 1),
    num(f?.verify.median, 1),
    num(f?.auth.median, 1),
    range(f?.vsYardstick),
    Number.isNaN(f?.vsOpenssl.median) ? '–' : range(f?.vsOpenssl),
    `${counted}/${row.pairs.length}${marks}`,
  ];
}

export const LEGEND = `Each pair: adjacent windows of the target (its baseline, one repeated token, a distinct token per request)
and of the yardstick (jose's jwtVerify alone in node:http), order swapped every pair; cells are medians over the
pairs that count; [low–high]: where the median lies with 95% confidence or more (the sign test's interval: with up to
8 pairs, their min and max; with 15, the 4th to the 12th value), the verdicts' noise. µs = core time per request: plumbing = 1/same − 1/baseline (the framework's
auth wiring on a cached token), verify = 1/distinct − 1/same, auth = 1/distinct − 1/baseline; ÷ yardstick = auth ÷
the yardstick's auth in the same pair; ÷ OpenSSL (nginx) = auth ÷ OpenSSL's own verify (openssl speed), timed after the
target's windows. pairs: counted/run; ! a window's load generator used ≥ 95% of its core
(client-bound: that pair is dropped), E non-2xx or socket errors (dropped), ~ auth of the target or the yardstick
came out zero or negative in a pair (a disturbed window: dropped); not counted: under half the pairs count.
* more distinct requests than the pool holds: tokens came round again (the Node apps' cache holds 10,000 and nginx's about 60,000: a pool larger than both still misses).`;

export function burstLine(b: Burst): string {
  if (b.skipped) return `${b.name}: cold burst skipped (${b.skipped})`;
  const statuses = Object.entries(b.statuses).map(([s, n]) => `${num(n)} × ${s === '0' ? 'no answer' : s}`);
  return `${b.name}: cold burst of 1,000: ${b.fetches} JWKS fetch${b.fetches === 1 ? '' : 'es'}, ${statuses.join(', ')}, ${num(b.ms)} ms`;
}

export function renderMemory(results: readonly Memory[]): string {
  const rows = results.map((m) =>
    m.failed
      ? [m.name, `failed: ${m.failed}`]
      : [
          m.name,
          num(m.tokens),
          num(m.answered),
          num(m.errors),
          num(m.fivexx),
          num(m.answered / m.seconds),
          num(m.beforeMb, 1),
          num(m.afterMb, 1),
          num(m.peakMb, 1),
          num(m.afterMb - m.beforeMb, 1),
          m.halfwayMb === undefined ? '–' : num(m.afterMb - m.halfwayMb, 1),
        ],
  );
  return renderTable(
    [
      'app',
      'tokens',
      'answered',
      'non-2xx',
      '5xx',
      'req/s',
      'RSS before MB',
      'after',
      'peak',
      'growth',
      '2nd half',
    ],
    rows,
    1,
  );
}

export function renderChecks(checks: readonly Check[]): string {
  return checks.map((c) => `${c.verdict.padEnd(11)} ${c.target}: ${c.detail}`).join('\n');
}
