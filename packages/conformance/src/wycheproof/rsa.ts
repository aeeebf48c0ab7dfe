import type { JsonWebKey } from 'node:crypto';

/** Octets to a non-negative integer, big-endian (RFC 8017 §4.2 OS2IP). */
export function os2ip(octets: Uint8Array): bigint {
  return octets.length === 0 ? 0n : BigInt(`0x${Buffer.from(octets).toString('hex')}`);
}

/** A non-negative integer to exactly `length` octets (RFC 8017 §4.1 I2OSP). */
export function i2osp(x: bigint, length: number): Buffer {
  const hex = x.toString(16);
  if (x < 0n || hex.length > length * 2) throw new Error(`integer too large for ${length} octets`);
  return Buffer.from(hex.padStart(length * 2, '0'), 'hex');
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** An RSA private key as numbers, from a JWK (RFC 7518 §6.3). */
export interface RsaKey {
  n: bigint;
  e: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qi: bigint;
  /** The modulus length in octets. */
  k: number;
}

export function rsaKey(jwk: JsonWebKey): RsaKey {
  const num = (name: 'n' | 'e' | 'p' | 'q' | 'dp' | 'dq' | 'qi') => {
    const value = jwk[name];
    if (typeof value !== 'string') throw new Error(`RSA JWK without ${name}`);
    return os2ip(Buffer.from(value, 'base64url'));
  };
  const n = num('n');
  const bits = n.toString(2).length;
  // EMSA-PSS with emBits = modBits - 1 then fills exactly k octets with one zero top bit (RFC 8017 §9.1.1).
  if (bits % 8 !== 0) throw new Error(`RSA modulus of ${bits} bits: only whole-octet moduli are handled`);
  return {
    n,
    e: num('e'),
    p: num('p'),
    q: num('q'),
    dp: num('dp'),
    dq: num('dq'),
    qi: num('qi'),
    k: bits / 8,
  };
}

/** s^e mod n: the encoded message a signature opens to (RFC 8017 §5.2.2 RSAVP1). */
export function rsavp1(key: RsaKey, s: bigint): bigint {
  if (s >= key.n) throw new Error('signature representative out of range');
  return modPow(s, key.e, key.n);
}

/** m^d mod n by the Chinese remainder theorem (RFC 8017 §5.2.1 RSASP1, step 2.b). */
export function rsasp1(key: RsaKey, m: bigint): bigint {
  if (m >= key.n) throw new Error('message representative out of range');
  const m1 = modPow(m, key.dp, key.p);
  const m2 = modPow(m, key.dq, key.q);
  const h = ((((m1 - m2) % key.p) + key.p) * key.qi) % key.p;
  return m2 + key.q * h;
}

/** Opens a k-octet signature to its k-octet encoded message. */
export const openSignature = (key: RsaKey, signature: Uint8Array): Buffer =>
  i2osp(rsavp1(key, os2ip(signature)), key.k);

/** Signs an encoded message raw, without any padding of our own: the defects are in `em`. */
export const signRaw = (key: RsaKey, em: Uint8Array): Buffer => i2osp(rsasp1(key, os2ip(em)), key.k);
