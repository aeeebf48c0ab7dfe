import { describe, expect, it } from 'vitest';
import { opensslVerifyUs, parseSpeed } from '../src/floor.ts';

describe('OpenSSL floor', () => {
  it("reads the verify rate from `openssl speed -mr`'s summary line, for each key type", () => {
    expect(
      parseSpeed('+DTP:2048:public:rsa:1\n+R2:65991:2048:1.00\n+F2:2:2048:3869.000000:50000.000000\n'),
    ).toBe(20);
    expect(parseSpeed('+F4:3:256:54823.958333:20000.000000\n')).toBe(50);
    expect(parseSpeed('+F6:0:253:Ed25519:36155.000000:12500.000000\n')).toBe(80);
    expect(() => parseSpeed('openssl: unknown algorithm\n')).toThrow('no verify rate');
  });
  it('times the real openssl on this machine', async () => {
    const us = await opensslVerifyUs(null, 'EdDSA', 1);
    expect(us).toBeGreaterThan(1);
    expect(us).toBeLessThan(10_000);
  });
});
