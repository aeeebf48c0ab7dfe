import { describe, expect, it } from 'vitest';
import { renderVsJose, scenarioRows } from '../src/report.ts';
import { mb, num, pct, renderTable } from '../src/table.ts';
import type { ScenarioResult, TargetResult } from '../src/types.ts';

describe('renderTable', () => {
  it('pads text left and numbers right under a rule', () => {
    const text = renderTable(
      [{ title: 'name' }, { title: 'req/s', align: 'right' }],
      [
        ['hono', '12,000'],
        ['koa', '900'],
      ],
    );
    expect(text.split('\n')).toEqual(['name   req/s', '----  ------', 'hono  12,000', 'koa      900']);
  });
  it('counts µs as one character and fills missing cells', () => {
    const text = renderTable([{ title: 'a' }, { title: 'µs', align: 'right' }], [['x']]);
    expect(text.split('\n')).toEqual(['a  µs', '-  --', 'x']);
  });
});

describe('number formats', () => {
  it('groups thousands and fixes decimals, dash for no figure', () => {
    expect(num(12345.678)).toBe('12,346');
    expect(num(1.234, 2)).toBe('1.23');
    expect(num(Number.NaN)).toBe('–');
    expect(num(undefined)).toBe('–');
    expect(mb(52.345)).toBe('52.3');
    expect(pct(0.987)).toBe('99%');
  });
});

describe('scenario rows', () => {
  const scenario = (
    mode: ScenarioResult['mode'],
    rps: number,
    extra: Partial<ScenarioResult> = {},
  ): ScenarioResult => ({
    mode,
    alg: mode === 'health' ? null : 'RS256',
    runs: [],
    median: { rps, p50: 1.5, p99: 4 },
    clientCpu: 0.5,
    serverCpu: 1,
    non2xx: 0,
    errors: 0,
    jwksFetches: mode === 'distinct' ? 1 : 0,
    rssAfterMb: 60,
    ...extra,
  });
  const target: TargetResult = {
    name: 'koa',
    group: 'koa',
    kind: 'app',
    library: 'jsonwebtoken',
    status: 'ok',
    scenarios: [
      scenario('health', 10_000),
      scenario('distinct', 4_000, { poolWrapped: true, clientCpu: 0.95 }),
    ],
  };
  it('compares each scenario with the same target’s /health', () => {
    const [health, distinct] = scenarioRows(target, {
      jsonwebtoken: { RS256: 48.25 },
      crypto: { RS256: 40 },
    });
    expect(health?.slice(0, 7)).toEqual(['koa', 'GET /health', '10,000', '1.50', '4.00', '1.00', '']);
    expect(distinct?.slice(0, 10)).toEqual([
      'koa',
      'RS256 distinct*',
      '4,000',
      '1.50',
      '4.00',
      '0.40',
      '150.0',
      '48.3',
      '40.0',
      '1',
    ]);
    expect(distinct?.at(-2)).toBe('95%!');
  });
  it('says why a scenario was skipped instead of printing figures', () => {
    const skipped = {
      ...target,
      scenarios: [scenario('same', 0, { skipped: 'a valid RS256 token got 401' })],
    };
    expect(scenarioRows(skipped, {})[0]).toEqual([
      'koa',
      'RS256 same token',
      'skipped: a valid RS256 token got 401',
    ]);
  });
  it('reads a scenario against the /health run made just before it, when there is one', () => {
    const drifted = {
      ...target,
      scenarios: [scenario('health', 10_000), scenario('distinct', 4_000, { healthRps: 5_000 })],
    };
    // 1/4000 - 1/5000 s = 50 µs; against the first /health it would read 150 µs.
    expect(scenarioRows(drifted, {})[1]?.slice(5, 7)).toEqual(['0.80', '50.0']);
  });
  it('sets each jose target’s distinct auth µs against the bare jose server’s', () => {
    const jose = (name: string, distinct: number): TargetResult => ({
      ...target,
      name,
      library: 'jose',
      scenarios: [scenario('health', 10_000), scenario('distinct', distinct, { healthRps: 10_000 })],
    });
    const others = { ...target, name: 'koa-jwt', library: 'jsonwebtoken-pem' as const };
    const micro = { jose: { RS256: 70 }, core: { RS256: 77 } };
    const lines = renderVsJose([jose('jose-http', 5_000), jose('koa', 4_000), others], micro)
      .split('\n')
      .map((line) => line.split(/\s{2,}/));
    // jose-http: 1/5000 - 1/10000 s = 100 µs; koa: 150 µs, 1.5 times that. Peers on another library:
    // no row. In-process, the core against jose alone.
    expect(lines.slice(2)).toEqual([
      ['jose-http', '100 (1.00×)', '–', '–'],
      ['koa', '150 (1.50×)', '–', '–'],
      ['jose in-process (lib µs)', '70.0', '–', '–'],
      ['core in-process (÷ jose)', '77 (1.10×)', '–', '–'],
    ]);
  });
  it('prints nothing without the bare jose server', () => {
    expect(renderVsJose([target], {})).toBe('');
  });
});
