import {
  createPrivateKey,
  createPublicKey,
  constants,
  type JsonWebKey,
  type KeyObject,
  privateEncrypt,
  publicDecrypt,
} from 'node:crypto';

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

/** An RSA key pair from a private JWK (RFC 7518 §6.3), with its modulus for signature arithmetic. */
export interface RsaKey {
  n: bigint;
  /** The modulus length in octets. */
  k: number;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function rsaKey(jwk: JsonWebKey): RsaKey {
  if (typeof jwk.n !== 'string') throw new Error('RSA JWK without n');
  const n = os2ip(Buffer.from(jwk.n, 'base64url'));
  const bits = n.toString(2).length;
  // EMSA-PSS with emBits = modBits - 1 then fills exactly k octets with one zero top bit (RFC 8017 §9.1.1).
  if (bits % 8 !== 0) throw new Error(`RSA modulus of ${bits} bits: only whole-octet moduli are handled`);
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  return { n, k: bits / 8, privateKey, publicKey: createPublicKey(privateKey) };
}

const RAW = constants.RSA_NO_PADDING;

/** s^e mod n, k octets: the encoded message a signature opens to (RFC 8017 §5.2.2 RSAVP1). */
export const openSignature = (key: RsaKey, signature: Uint8Array): Buffer =>
  publicDecrypt({ key: key.publicKey, padding: RAW }, signature);

/** m^d mod n (RFC 8017 §5.2.1 RSASP1) of an encoded message, with no padding of our own: the defects are in `em`. */
export const signRaw = (key: RsaKey, em: Uint8Array): Buffer =>
  privateEncrypt({ key: key.privateKey, padding: RAW }, em);
