import { describe, expect, it } from 'vitest';
import { VerifiedCache } from '../server/utils/verified-cache';

/** A cache on a clock the test moves (ms, wall clock). */
function cacheAt(start: number, options: ConstructorParameters<typeof VerifiedCache>[0] = {}) {
  const clock = { now: start };
  const cache = new VerifiedCache<Record<string, unknown>>({ ...options, now: () => clock.now });
  return { cache, clock };
}
const T0 = 1_700_000_000_000; // a whole second, in ms
const sec = T0 / 1000;

describe('VerifiedCache', () => {
  it('answers a stored token with the same claims, frozen all the way down', () => {
    const { cache } = cacheAt(T0);
    cache.set('a.b.c', { sub: 'u', aud: ['x'], nested: { k: 1 } }, sec + 300);
    const hit = cache.get('a.b.c');
    expect(hit).toEqual({ sub: 'u', aud: ['x'], nested: { k: 1 } });
    expect(Object.isFrozen(hit)).toBe(true);
    expect(Object.isFrozen(hit?.aud)).toBe(true);
    expect(Object.isFrozen(hit?.nested)).toBe(true);
    expect(() => {
      (hit as Record<string, unknown>).sub = 'admin';
    }).toThrow(TypeError);
    expect(cache.get('a.b.x')).toBeUndefined();
  });

  it('expires an entry at the token exp when that comes before 60 s', () => {
    const { cache, clock } = cacheAt(T0);
    cache.set('t', { exp: sec + 10 }, sec + 10);
    clock.now = T0 + 9_999;
    expect(cache.get('t')).toBeDefined();
    clock.now = T0 + 10_000;
    expect(cache.get('t')).toBeUndefined();
    expect(cache.size).toBe(0); // dropped when met
  });

  it('expires an entry 60 s after insertion when exp is later', () => {
    const { cache, clock } = cacheAt(T0);
    cache.set('t', {}, sec + 3600);
    clock.now = T0 + 59_999;
    expect(cache.get('t')).toBeDefined();
    clock.now = T0 + 60_000;
    expect(cache.get('t')).toBeUndefined();
  });

  it('does not store a token whose exp has passed (accepted only within the clock tolerance)', () => {
    const { cache } = cacheAt(T0);
    cache.set('t', {}, sec - 2);
    expect(cache.get('t')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries, evicting the oldest first', () => {
    const { cache } = cacheAt(T0, { maxEntries: 3 });
    for (const t of ['t1', 't2', 't3', 't4']) cache.set(t, { t }, sec + 300);
    expect(cache.size).toBe(3);
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.get('t2')).toEqual({ t: 't2' });
    expect(cache.get('t4')).toEqual({ t: 't4' });
  });

  it('keeps at most maxChars of token text, evicting the oldest first', () => {
    const { cache } = cacheAt(T0, { maxChars: 25 });
    cache.set('a'.repeat(10), {}, sec + 300);
    cache.set('b'.repeat(10), {}, sec + 300);
    cache.set('c'.repeat(10), {}, sec + 300); // 30 chars: the oldest goes
    expect(cache.get('a'.repeat(10))).toBeUndefined();
    expect(cache.get('b'.repeat(10))).toBeDefined();
    expect(cache.get('c'.repeat(10))).toBeDefined();
    cache.set('d'.repeat(26), {}, sec + 300); // larger than the whole budget: never stored
    expect(cache.size).toBe(2);
  });

  it('defaults to 10,000 entries and 4 MiB of token text', () => {
    const { cache } = cacheAt(T0);
    for (let i = 0; i < 10_001; i++) cache.set(`token-${i}`, {}, sec + 300);
    expect(cache.size).toBe(10_000);
    expect(cache.get('token-0')).toBeUndefined();
    const big = cacheAt(T0).cache;
    for (let i = 0; i < 600; i++) big.set(`${i}`.padStart(8000, 'x'), {}, sec + 300);
    expect(big.size).toBe(Math.floor((4 * 1024 * 1024) / 8000)); // 524 tokens of 8000 chars
  });
});
