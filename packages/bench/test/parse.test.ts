import { describe, expect, it } from 'vitest';
import { parseOptions } from '../src/args.ts';
import { build, type Entry, renamed, select } from '../src/entries.ts';
import { parseWrk } from '../src/load.ts';
import { parseCpuList, parseStat } from '../src/proc.ts';

describe('flags', () => {
  it('default to 7 pairs of 3 s windows, every app, peer and algorithm', () => {
    const o = parseOptions([]);
    expect([o.pairs, o.duration, o.warmup, o.pool, o.apps, o.peers, o.burst, o.micro]).toEqual([
      7,
      3,
      2,
      100_000,
      null,
      true,
      true,
      1,
    ]);
    expect(o.algs).toEqual(['RS256', 'ES256', 'EdDSA']);
    expect([o.maxPairs, o.from]).toEqual([15, null]);
  });
  it('--max-pairs: never fewer than --pairs; --quick adds none unless asked', () => {
    expect(parseOptions(['--max-pairs', '9']).maxPairs).toBe(9);
    expect(parseOptions(['--pairs', '20']).maxPairs).toBe(20);
    expect(parseOptions(['--quick']).maxPairs).toBe(5);
    expect(parseOptions(['--quick', '--max-pairs', '9']).maxPairs).toBe(9);
    expect(() => parseOptions(['--max-pairs', '0'])).toThrow(/--max-pairs/);
    expect(() => parseOptions(['--pairs', '51'])).toThrow(/at most 50, got 51/);
    expect(parseOptions(['--from', 'results/latest.json']).from).toBe('results/latest.json');
  });
  it('--quick: 5 pairs of 1 s, RS256, no peers, burst or micro; explicit flags win', () => {
    const o = parseOptions(['--quick', '--pairs', '7']);
    expect([o.pairs, o.duration, o.algs, o.peers, o.burst, o.micro, o.pool]).toEqual([
      7,
      1,
      ['RS256'],
      false,
      false,
      0,
      100_000,
    ]);
  });
  it('take apps repeated or comma-separated, ignoring a bare -- from turbo', () => {
    expect(parseOptions(['--', '--app', 'Hono,koa', '--app', 'nitro']).apps).toEqual([
      'hono',
      'koa',
      'nitro',
    ]);
    const o = parseOptions([
      '--no-build',
      '--no-peers',
      '--algs',
      'es256,eddsa',
      '--memory',
      '--memory-tokens',
      '1_000',
    ]);
    expect([o.build, o.peers, o.memory, o.memoryTokens, o.algs]).toEqual([
      false,
      false,
      true,
      1000,
      ['ES256', 'EdDSA'],
    ]);
  });
  it('refuse bad values with a message naming the flag', () => {
    expect(() => parseOptions(['--pairs', '1.5'])).toThrow(/--pairs/);
    expect(() => parseOptions(['--duration', '0'])).toThrow(/--duration/);
    expect(() => parseOptions(['--algs', 'HS256'])).toThrow(/HS256/);
    expect(() => parseOptions(['--memory-tokens', '1'])).toThrow(/--memory-tokens must be at least 2/);
    expect(() => parseOptions(['--runs', '3'])).toThrow();
  });
  it('select an app with its other runtimes and peers, and refuse an unknown one', () => {
    expect(select(['hono'], true).map((e) => e.name)).toEqual([
      'hono',
      'hono-bun',
      'hono-deno',
      'hono-workers',
      'hono-jwk',
    ]);
    expect(select(['koa'], false).map((e) => e.name)).toEqual(['koa']);
    expect(select(['hono'], true, false).map((e) => e.name)).toEqual(['hono', 'hono-jwk']);
    expect(() => select(['rails'], true)).toThrow(/unknown app rails/);
  });
  it("run the suite's peers as their configs say: command, algorithms, settings renamed or left out", () => {
    const [express, oauth2] = select(['express'], true);
    expect([express?.peers, oauth2?.name, oauth2?.cwd, oauth2?.command]).toEqual([
      ['express-oauth2-jwt-bearer'],
      'express-oauth2-jwt-bearer',
      'packages/conformance/peers/express',
      ['node', 'server.mjs'],
    ]);
    expect([oauth2?.algorithms, oauth2?.audience]).toEqual([['RS256', 'ES256', 'EdDSA'], true]);
    const nest = select(['nestjs'], true)[1] as Entry;
    expect([nest.name, nest.algorithms, nest.audience]).toEqual(['passport-jwt', ['RS256'], false]);
    const env = { JWT_ISSUER: 'i', JWT_ALGORITHMS: 'RS256', JWT_JWKS_URI: 'j' };
    expect(renamed(nest, env)).toEqual({ ISSUER: 'i', JWKS_URI: 'j' });
    const fastify = select(['fastify'], true)[1] as Entry;
    expect(renamed(fastify, env)).toEqual({ ALLOWED_ISS: 'i', ALGORITHMS: 'RS256' });
    expect(renamed(express as Entry, env)).toEqual(env);
    // Plain folders, not workspace packages, and nothing to build: never listed as not built.
    const missing = build(select(['express', 'fastify', 'nestjs'], true), false, () => {});
    expect(
      ['express-oauth2-jwt-bearer', 'fastify-jwt', 'passport-jwt'].filter((p) => missing.has(p)),
    ).toEqual([]);
  });
});

describe('wrk', () => {
  it('reads throughput, answers, errors, latency and the Lua script’s counts', () => {
    const out = `Running 3s test @ http://127.0.0.1:1/protected
  Latency Distribution
     50%  480.00us
     99%    1.20ms
  30000 requests in 3.00s, 3.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 5
Requests/sec:  10000.50
Transfer/sec:      1.00MB
sent 30032
5xx 4
`;
    expect(parseWrk(out)).toEqual({
      rps: 10000.5,
      requests: 30000,
      errors: 8,
      sent: 30032,
      fivexx: 4,
      p50: 0.48,
      p99: 1.2,
    });
    expect(parseWrk('  10 requests in 1.00s\nRequests/sec: 10.00\n')).toMatchObject({
      errors: 0,
      sent: 0,
      fivexx: 0,
    });
  });
});

describe('/proc', () => {
  it('reads CPU lists, and a parent and CPU time after a name holding spaces and parentheses', () => {
    expect(parseCpuList('0,2-3,7\n')).toEqual([0, 2, 3, 7]);
    expect(parseCpuList('')).toEqual([]);
    const stat = '42 (node (x) y) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 1000 1 1';
    expect(parseStat(stat)).toEqual({ ppid: 1, cpu: 3 });
  });
});
