import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Doorkeeper } from '../src/doorkeeper.ts';

/**
 * Token `n`: a token-shaped string whose signature looks random, as a real one does to anyone
 * without the key, yet is the same on every run (no two of the tokens below share a slot).
 */
const token = (n: number) =>
  `eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.${createHash('sha512').update(String(n)).digest('base64url')}`;

describe('Doorkeeper', () => {
  it('admits a token at its second sighting, not its first', () => {
    const door = new Doorkeeper(10);
    const [a, b] = [token(1), token(2)];
    expect([door.admit(a), door.admit(b), door.admit(a), door.admit(b), door.admit(a)]).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });

  it('forgets every sighting once `capacity` new ones came in', () => {
    const door = new Doorkeeper(2);
    const [a, b, c] = [token(1), token(2), token(3)];
    expect([door.admit(a), door.admit(b), door.admit(c)]).toEqual([false, false, false]); // c resets
    expect(door.admit(a)).toBe(false); // forgotten
    expect(door.admit(c)).toBe(true); // seen since the reset
  });

  it('never fills up: a stream of one-off tokens is admitted rarely (collisions only)', () => {
    const door = new Doorkeeper(10_000);
    let admitted = 0;
    for (let i = 0; i < 100_000; i++) if (door.admit(token(i))) admitted++;
    // At most 10,000 of 65,536 slots are marked at a time: under 15% collide, about 7% on average.
    expect(admitted / 100_000).toBeLessThan(0.1);
  });
});
