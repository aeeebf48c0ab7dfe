import type { Burst } from './burst.ts';
import type { Entry } from './entries.ts';
import { shiftInterval } from './intervals.ts';
import type { Lines } from './lines.ts';
import type { Memory } from './memory.ts';
import type { Row } from './pairs.ts';
import { type Figure, type Spread, type Summary, summarize } from './stats.ts';

/** Issue 22's targets, read from the median over the pairs that count. */
export const LIMITS = { vsYardstick: 1.3, sameRatio: 0.85, memoryMb: 50 };
/** nginx's (issue #20): auth within 1.5× OpenSSL's verify; same token 0.9 of its proxied baseline. */
export const NGINX_LIMITS = { vsOpenssl: 1.5, sameRatio: 0.9 };

/** UNSETTLED: the median's interval (intervals.ts) holds the limit: this run cannot tell, either way. */
export type Verdict = 'MET' | 'NOT MET' | 'UNSETTLED' | 'NOT COUNTED';
export interface Check {
  target: string;
  verdict: Verdict;
  detail: string;
  /** The rows it reads (`rowKey`): the bench adds pairs to a row while a check of it is UNSETTLED. */
  about?: string[];
}

export const rowKey = (row: Pick<Row, 'name' | 'alg'>) => `${row.name} ${row.alg}`;

const f2 = (x: number) => x.toFixed(2);
const signed = (mb: number) => `${mb < 0 ? '' : '+'}${mb.toFixed(1)}`;
const interval = (x: Spread) =>
  `${f2(x.median)} [${f2(x.low)}–${f2(x.high)}, ${Math.floor(x.confidence * 100)}%]`;
/** MET or NOT MET when the interval lies on one side of the limit, else UNSETTLED. */
const settled = (met: boolean, notMet: boolean): Verdict => (met ? 'MET' : notMet ? 'NOT MET' : 'UNSETTLED');
const NOISE: Record<Verdict, string> = {
  MET: 'beyond the noise',
  'NOT MET': 'beyond the noise',
  UNSETTLED: 'within the noise',
  'NOT COUNTED': '',
};
const check = (target: string, met: boolean, detail: string): Check => ({
  target,
  verdict: met ? 'MET' : 'NOT MET',
  detail,
});

/** Why a row gives no verdict, or null when it does. */
function uncounted(row: Row, s: Summary): string | null {
  if (row.skipped) return null;
  if (s.counts && s.figures) return null;
  return `${s.counted} of ${row.pairs.length} pairs count (${s.dropped.saturated} load-saturated, ${s.dropped.errors} with errors, ${s.dropped.noise} disturbed)`;
}

/** The median's interval against a limit, each pair's value beside it so that the noise shows. */
function figureCheck(what: string, row: Row, s: Summary, f: Figure, limit: number, atMost: boolean): Check {
  const [target, about] = [`${rowKey(row)}: ${what}`, [rowKey(row)]];
  if (row.skipped) return { ...check(target, false, row.skipped), about };
  const why = uncounted(row, s);
  const x = s.figures?.[f];
  if (why || !x) return { target, verdict: 'NOT COUNTED', detail: why ?? 'no figures', about };
  const verdict = atMost ? settled(x.high <= limit, x.low > limit) : settled(x.low >= limit, x.high < limit);
  const pairs = x.values.map(f2).join(' ');
  const detail = `median ${interval(x)} ${atMost ? '≤' : '≥'} ${limit}? ${NOISE[verdict]}; pairs ${pairs}`;
  return { target, verdict, detail, about };
}

export interface Results {
  entries: readonly Entry[];
  rows: readonly Row[];
  bursts: readonly Burst[];
  lines: readonly Lines[];
  memory?: readonly Memory[];
}

/** Whether a verdict that reads `row` is UNSETTLED, the other rows as they are: it needs more pairs. */
export function unsettledWith(entries: readonly Entry[], rows: readonly Row[], row: Row): boolean {
  const others = rows.filter((r) => rowKey(r) !== rowKey(row));
  return verdicts({ entries, rows: [...others, row], bursts: [], lines: [] }).some(
    (c) => c.verdict === 'UNSETTLED' && c.about?.includes(rowKey(row)),
  );
}

export function verdicts({ entries, rows, bursts, lines, memory }: Results): Check[] {
  const checks: Check[] = [];
  const byName = new Map(entries.map((e) => [e.name, e]));
  const summaries = new Map(rows.map((r) => [r, summarize(r.pairs)]));
  for (const row of rows) {
    const entry = byName.get(row.name);
    const s = summaries.get(row) as Summary;
    if (entry?.kind !== 'app') continue;
    if (entry.node)
      checks.push(figureCheck('distinct auth ÷ yardstick', row, s, 'vsYardstick', LIMITS.vsYardstick, true));
    if (entry.floor)
      checks.push(
        figureCheck('distinct auth ÷ OpenSSL verify', row, s, 'vsOpenssl', NGINX_LIMITS.vsOpenssl, true),
      );
    if (entry.node || entry.baseline) {
      const limit = entry.baseline ? NGINX_LIMITS.sameRatio : LIMITS.sameRatio;
      const c = figureCheck(`same token ÷ ${row.baseline || 'baseline'}`, row, s, 'sameRatio', limit, false);
      const noBaseline = entry.baseline && row.baseline !== entry.baseline && !row.skipped;
      checks.push(
        noBaseline ? { ...c, verdict: 'NOT COUNTED', detail: `no ${entry.baseline} to read it against` } : c,
      );
    }
    for (const peer of entry.peers ?? []) {
      const other = rows.find((r) => r.name === peer && r.alg === row.alg);
      if (!other) continue;
      const [a, b] = [s, summaries.get(other) as Summary].map((x) =>
        x.counts ? x.figures?.vsYardstick : undefined,
      );
      const [target, about] = [`${rowKey(row)}: faster than ${peer}`, [rowKey(row), rowKey(other)]];
      if (!a || !b)
        checks.push({
          target,
          verdict: row.skipped ? 'NOT MET' : 'NOT COUNTED',
          detail: row.skipped ?? other.skipped ?? 'a row does not count',
          about,
        });
      else {
        // Two rows measured apart: settled when the shift between them (app − peer) is clear of 0.
        const d = shiftInterval(a.values, b.values);
        const verdict = settled(d.high < 0, d.low > 0);
        const shift = `[${f2(d.low)} to ${f2(d.high)}, ${Math.floor(d.confidence * 100)}%]`;
        const detail = `distinct auth ÷ yardstick ${interval(a)} against ${interval(b)}, app − peer ${shift}: ${NOISE[verdict]}`;
        checks.push({ target, verdict, detail, about });
      }
    }
  }
  for (const b of bursts.filter((x) => byName.get(x.name)?.kind === 'app')) {
    const ok = b.statuses['200'] ?? 0;
    const total = Object.values(b.statuses).reduce((x, y) => x + y, 0);
    const detail =
      b.skipped ?? `${b.fetches} JWKS fetch${b.fetches === 1 ? '' : 'es'}, ${ok} of ${total} answered 200`;
    checks.push(
      check(`${b.name}: cold burst, one fetch`, !b.skipped && b.fetches === 1 && ok === total, detail),
    );
  }
  for (const m of memory ?? []) {
    const growth = m.afterMb - m.beforeMb;
    const detail =
      m.failed ??
      `RSS ${m.beforeMb.toFixed(1)} → ${m.afterMb.toFixed(1)} MB (${signed(growth)}${
        m.halfwayMb === undefined ? '' : `; second half ${signed(m.afterMb - m.halfwayMb)}`
      }), ${m.fivexx} × 5xx`;
    checks.push(
      check(
        `${m.name}: memory, growth < ${LIMITS.memoryMb} MB and no 5xx`,
        !m.failed && growth < LIMITS.memoryMb && m.fivexx === 0,
        detail,
      ),
    );
  }
  for (const l of lines) {
    const target = `${l.name}: lines of code ≤ ${l.limit} (${l.dir}${l.otherRuntimes ? ', on Node' : ''})`;
    const other = l.otherRuntimes
      ? ` (+${l.otherRuntimes} in the Bun, Deno and Workers files a Node starter leaves out)`
      : '';
    checks.push(
      l.code === null
        ? { target, verdict: 'NOT COUNTED', detail: 'cloc is not installed' }
        : check(target, l.code <= l.limit, `${l.code}${other}`),
    );
  }
  return checks;
}
