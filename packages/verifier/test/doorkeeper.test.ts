import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Doorkeeper } from '../src/doorkeeper.ts';

/** A token-shaped string whose signature is random, as a real one is to anyone without the key. */
const token = () => `eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.${randomBytes(64).toString('base64url')}`;

describe('Doorkeeper', () => {
  it('admits a token at its second sighting, not its first', () => {
    const door = new Doorkeeper(10);
    const [a, b] = [token(), token()];
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
    const [a, b, c] = [token(), token(), token()];
    expect([door.admit(a), door.admit(b), door.admit(c)]).toEqual([false, false, false]); // c resets
    expect(door.admit(a)).toBe(false); // forgotten
    expect(door.admit(c)).toBe(true); // seen since the reset
  });

  it('never fills up: a stream of one-off tokens is admitted rarely (collisions only)', () => {
    const door = new Doorkeeper(10_000);
    let admitted = 0;
    for (let i = 0; i < 100_000; i++) if (door.admit(token())) admitted++;
    // At most 10,000 of 65,536 slots are marked at a time: under 15% collide, about 7% on average.
    expect(admitted / 100_000).toBeLessThan(0.1);
  });
});
