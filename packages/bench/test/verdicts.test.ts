import { describe, expect, it } from 'vitest';
import type { Entry } from '../src/entries.ts';
import type { Row } from '../src/pairs.ts';
import { renderTable, rowCells } from '../src/report.ts';
import { unsettledWith, verdicts } from '../src/verdicts.ts';
import { pair } from './pair.ts';

const row = (name: string, distinct: number[], more: Partial<Row> = {}): Row => ({
  name,
  alg: 'RS256',
  pairs: distinct.map((d) => pair(d)),
  baseline: '/health',
  wrapped: false,
  ...more,
});
const app = (name: string, more: Partial<Entry> = {}): Entry => ({
  name,
  kind: 'app',
  group: name,
  cwd: `apps/${name}`,
  command: [],
  algorithms: ['RS256'],
  node: true,
  ...more,
});
const peer: Entry = { ...app('koa-jwt'), kind: 'peer', group: 'koa', node: false };
const find = (checks: ReturnType<typeof verdicts>, text: string) =>
  checks.find((c) => c.target.includes(text));

/** A distinct-token rate whose auth is `r` times the yardstick's (pair(): 100 µs each). */
const times = (r: number) => 1e6 / (100 + 100 * r);

describe('verdicts', () => {
  const entries = [app('koa', { peers: ['koa-jwt'] }), peer];
  const koa = row('koa', [1.25, 1.2, 1.5].map(times));
  const rows = [koa, row('koa-jwt', [4, 3, 3.55].map(times))];
  const checks = verdicts({ entries, rows, bursts: [], lines: [] });
  const judge = (ratios: number[]) =>
    find(verdicts({ entries, rows: [row('koa', ratios.map(times))], bursts: [], lines: [] }), 'distinct');

  it("settle a limit only when the median's interval is on one side of it, and show each pair", () => {
    expect(judge([1.25, 1.2, 1.1])).toEqual({
      target: 'koa RS256: distinct auth ÷ yardstick',
      verdict: 'MET',
      detail: 'median 1.20 [1.10–1.25, 75%] ≤ 1.3? beyond the noise; pairs 1.25 1.20 1.10',
      about: ['koa RS256'],
    });
    expect(judge([1.5, 1.5, 1.35])?.verdict).toBe('NOT MET');
    // The median is under 1.3, but one pair in three is over it: this run cannot tell.
    expect(find(checks, 'koa RS256: distinct auth')).toMatchObject({
      verdict: 'UNSETTLED',
      detail: 'median 1.25 [1.20–1.50, 75%] ≤ 1.3? within the noise; pairs 1.25 1.20 1.50',
    });
    expect(find(checks, 'same token')?.verdict).toBe('NOT MET'); // 0.80 in every pair, < 0.85
  });
  it('set an app against each of its peers, and give peers no targets of their own', () => {
    expect(find(checks, 'faster than koa-jwt')).toEqual({
      target: 'koa RS256: faster than koa-jwt',
      verdict: 'MET',
      detail:
        'distinct auth ÷ yardstick 1.25 [1.20–1.50, 75%] against 3.55 [3.00–4.00, 75%], app − peer [-2.80 to -1.50, 90%]: beyond the noise',
      about: ['koa RS256', 'koa-jwt RS256'],
    });
    const against = (ratios: number[]) =>
      find(
        verdicts({ entries, rows: [koa, row('koa-jwt', ratios.map(times))], bursts: [], lines: [] }),
        'faster than',
      );
    expect(against([1.22, 1.3, 1.33])).toMatchObject({
      verdict: 'UNSETTLED',
      detail: expect.stringMatching(
        /against 1\.30 \[1\.22–1\.33, 75%\], app − peer \[-0\.13 to 0\.28, 90%\]: within the noise$/,
      ),
    });
    expect(against([1.1, 1.05, 1.15])?.verdict).toBe('NOT MET'); // the peer is faster, beyond the noise
    expect(checks.filter((c) => c.target.startsWith('koa-jwt'))).toEqual([]);
  });
  it('tell which rows need more pairs: those a verdict within the noise reads', () => {
    const app = row('koa', [1.25, 1.2, 1.1].map(times)); // its own limit: MET; same token: NOT MET
    const close = row('koa-jwt', [1.22, 1.3, 1.33].map(times));
    const far = row('koa-jwt', [4, 3, 3.5].map(times));
    // Against a close peer the app is UNSETTLED: both rows, the app's too (the bench goes back to it).
    expect(unsettledWith(entries, [app, close], app)).toBe(true);
    expect(unsettledWith(entries, [app, close], close)).toBe(true);
    expect(unsettledWith(entries, [app, far], app)).toBe(false);
    expect(unsettledWith(entries, [app], app)).toBe(false); // its peer not measured yet
    expect(unsettledWith(entries, [], koa)).toBe(true); // 1.25 [1.20–1.50] holds 1.3
  });
  it('count nothing from a row whose pairs mostly did not count, and fail a skipped one', () => {
    const saturated = row('koa', []);
    saturated.pairs = [pair(4_000, { loadCpu: 1 }), pair(4_000, { loadCpu: 1 }), pair()];
    const skipped = row('koa', [], { skipped: 'a valid RS256 token got 401' });
    expect(find(verdicts({ entries, rows: [saturated], bursts: [], lines: [] }), 'distinct')?.verdict).toBe(
      'NOT COUNTED',
    );
    expect(find(verdicts({ entries, rows: [skipped], bursts: [], lines: [] }), 'distinct')).toMatchObject({
      verdict: 'NOT MET',
      detail: 'a valid RS256 token got 401',
    });
  });
  it('read nginx against its baseline, or not at all without one', () => {
    const nginx = app('nginx', { node: false, baseline: '/baseline' });
    const ok = verdicts({
      entries: [nginx],
      rows: [row('nginx', [4_000], { baseline: '/baseline' })],
      bursts: [],
      lines: [],
    });
    expect(ok.map((c) => c.target)).toEqual(['nginx RS256: same token ÷ /baseline']);
    const none = verdicts({ entries: [nginx], rows: [row('nginx', [4_000])], bursts: [], lines: [] });
    expect(none[0]?.verdict).toBe('NOT COUNTED');
  });
  it('want one fetch and every answer 200 in a burst, growth under 50 MB and no 5xx, lines within limits', () => {
    const burst = (fetches: number, statuses: Record<string, number>) => ({
      name: 'koa',
      fetches,
      statuses,
      ms: 9,
    });
    const memory = {
      name: 'koa',
      tokens: 1e6,
      answered: 1e6,
      errors: 0,
      fivexx: 0,
      seconds: 1,
      beforeMb: 100,
      peakMb: 0,
    };
    const c = verdicts({
      entries,
      rows: [],
      bursts: [burst(1, { 200: 1000 }), burst(2, { 200: 1000 }), burst(1, { 200: 999, 0: 1 })],
      lines: [
        { name: 'core', dir: 'x', code: 340, limit: 340 },
        { name: 'koa', dir: 'y', code: 121, limit: 120 },
        { name: 'hono', dir: 'z', code: 103, limit: 120, otherRuntimes: 89 },
      ],
      memory: [
        { ...memory, afterMb: 149, halfwayMb: 148.5 },
        { ...memory, afterMb: 150 },
        { ...memory, afterMb: 101, fivexx: 1 },
      ],
    });
    expect(c.map((x) => x.verdict)).toEqual([
      'MET',
      'NOT MET',
      'NOT MET',
      'MET',
      'NOT MET',
      'NOT MET',
      'MET',
      'NOT MET',
      'MET',
    ]);
    // The second half's growth tells a heap's working size from a cache without a bound.
    const memoryDetails = c.filter((x) => x.target.includes('memory')).map((x) => x.detail);
    expect(memoryDetails).toEqual([
      'RSS 100.0 → 149.0 MB (+49.0; second half +0.5), 0 × 5xx',
      'RSS 100.0 → 150.0 MB (+50.0), 0 × 5xx',
      'RSS 100.0 → 101.0 MB (+1.0), 1 × 5xx',
    ]);
    expect(c.at(-1)).toEqual({
      target: 'hono: lines of code ≤ 120 (z, on Node)',
      verdict: 'MET',
      detail: '103 (+89 in the Bun, Deno and Workers files a Node starter leaves out)',
    });
  });
});

describe('the table', () => {
  it('pads text left and numbers right under a rule, µs as one character', () => {
    expect(renderTable(['a', 'b', 'µs'], [['koa', 'x', '1,234'], ['hono']]).split('\n')).toEqual([
      'a     b     µs',
      '----  -  -----',
      'koa   x  1,234',
      'hono',
    ]);
  });
  it('shows medians, ratios with their range, and marks dropped pairs and a wrapped pool', () => {
    const r = row('koa', [4_000, 4_000]);
    r.pairs.push(pair(4_000, { loadCpu: 1 }));
    expect(rowCells({ ...r, wrapped: true })).toEqual([
      'koa',
      'RS256',
      '10,000',
      '0.80 [0.80–0.80]',
      '25.0',
      '125.0',
      '150.0',
      '1.50 [1.50–1.50]',
      '–', // no OpenSSL floor: not nginx
      '2/3!*',
    ]);
    expect(rowCells(row('koa', [], { skipped: 'it did not start' }))).toEqual([
      'koa',
      'RS256',
      'skipped: it did not start',
    ]);
  });
  it("read nginx's auth against OpenSSL's verify (1.5×) and its same token against 0.9", () => {
    const nginx = app('nginx', { node: false, baseline: '/baseline', floor: true });
    // auth 150 µs each pair; OpenSSL's verify 110, 120, 130 µs: 1.36, 1.25, 1.15.
    const pairs = [110, 120, 130].map((floorUs) => ({ ...pair(), floorUs }));
    const checks = verdicts({
      entries: [nginx],
      rows: [row('nginx', [], { pairs, baseline: '/baseline' })],
      bursts: [],
      lines: [],
    });
    expect(find(checks, 'OpenSSL')).toEqual({
      target: 'nginx RS256: distinct auth ÷ OpenSSL verify',
      verdict: 'MET',
      detail: 'median 1.25 [1.15–1.36, 75%] ≤ 1.5? beyond the noise; pairs 1.36 1.25 1.15',
      about: ['nginx RS256'],
    });
    expect(find(checks, 'same token')?.detail).toMatch(/^median 0\.80 \[0\.80–0\.80, 75%\] ≥ 0\.9\? beyond/);
    expect(find(checks, 'yardstick')).toBeUndefined(); // not a Node app
  });
});
