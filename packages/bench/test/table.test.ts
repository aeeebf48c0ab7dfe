import { describe, expect, it } from 'vitest';
import { scenarioRows } from '../src/report.ts';
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
});
