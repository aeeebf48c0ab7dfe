import { describe, expect, it } from 'vitest';
import { parseOptions, poolSize } from '../src/args.ts';
import { parseCpuList } from '../src/cpu.ts';
import { parseStat, statusFieldMb } from '../src/proc.ts';

describe('parseOptions', () => {
  it('defaults to 3 runs of 5 s after 2 s, every app and peer', () => {
    const o = parseOptions([]);
    expect([o.runs, o.duration, o.warmup, o.pool, o.apps, o.peers, o.build, o.burst]).toEqual([
      3,
      5,
      2,
      null,
      null,
      true,
      true,
      true,
    ]);
    expect(o.algs).toEqual(['RS256', 'ES256', 'EdDSA']);
  });
  it('--quick shortens everything but explicit flags win', () => {
    const o = parseOptions(['--quick', '--duration', '3']);
    expect([o.warmup, o.duration]).toEqual([0.5, 3]);
  });
  it('sizes pools so a scenario never repeats a token at 15,000 req/s, 50,000 at least', () => {
    expect(poolSize(parseOptions([]))).toBe(15_000 * 17);
    expect(poolSize(parseOptions(['--quick']))).toBe(15_000 * 3.5);
    expect(poolSize(parseOptions(['--quick', '--runs', '1']))).toBe(50_000);
    expect(poolSize(parseOptions(['--pool', '1000']))).toBe(1000);
  });
  it('takes apps repeated or comma-separated, ignoring a bare -- from turbo', () => {
    expect(parseOptions(['--', '--app', 'Hono,koa', '--app', 'nitro']).apps).toEqual([
      'hono',
      'koa',
      'nitro',
    ]);
  });
  it('reads the negative flags, algorithms and memory options', () => {
    const o = parseOptions([
      '--no-build',
      '--no-peers',
      '--no-burst',
      '--algs',
      'es256,eddsa',
      '--memory',
      '--memory-tokens',
      '1_000',
    ]);
    expect([o.build, o.peers, o.burst, o.memory, o.memoryTokens]).toEqual([false, false, false, true, 1000]);
    expect(o.algs).toEqual(['ES256', 'EdDSA']);
  });
  it('refuses bad values with a message naming the flag', () => {
    expect(() => parseOptions(['--runs', '1.5'])).toThrow(/--runs/);
    expect(() => parseOptions(['--duration', '0'])).toThrow(/--duration/);
    expect(() => parseOptions(['--algs', 'HS256'])).toThrow(/HS256/);
    expect(() => parseOptions(['--nope'])).toThrow();
  });
});

describe('/proc parsing', () => {
  it('reads CPU lists', () => {
    expect(parseCpuList('0-1')).toEqual([0, 1]);
    expect(parseCpuList('0,2-3,7\n')).toEqual([0, 2, 3, 7]);
    expect(parseCpuList('')).toEqual([]);
  });
  it('reads the process group and CPU time after the command name, spaces and parentheses included', () => {
    const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 1000 1 1';
    expect(parseStat(stat)).toEqual({ pgrp: 4242, cpuSeconds: 3 });
  });
  it('reads kB fields of /proc/<pid>/status as MB', () => {
    expect(statusFieldMb('Name:\tnode\nVmHWM:\t  102400 kB\nVmRSS:\t   51200 kB\n', 'VmRSS')).toBe(50);
    expect(statusFieldMb('Name:\tnode\n', 'VmRSS')).toBe(0);
  });
});
