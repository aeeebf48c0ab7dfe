/**
 * ES256 signatures are R || S, each 32 octets (RFC 7518 §3.4). The special cases put edge values
 * or over-long encodings in R and S; each half is explained from a valid (r, s) of the same
 * message, so the same change can be made to a fresh signature.
 */
import { i2osp, os2ip } from './rsa.ts';

/** The order n of the P-256 base point (SEC 2 §2.4.2). */
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const WIDTH = 32;

/** How one half of the vector was written from the valid value x. */
export type Half =
  /** I2OSP(x + k, width): k = 0 is the honest value, n or 2^256 an unreduced or overflowing one. */
  | { kind: 'add'; k: bigint; width: number }
  /** x on 32 octets followed by zero octets. */
  | { kind: 'trail'; zeros: number }
  /** 0, 1, n-1 or n whatever the message: kept. */
  | { kind: 'fixed'; bytes: Buffer };

/**
 * ECDSA accepts s and n - s alike (SEC 1 §4.1.4), and Node returns either. A vector made from the
 * high form is carried from the high form of a fresh signature, so rebuilding it is exact.
 */
export type SForm = 'high' | 'low';

export interface EcdsaPlan {
  r: Half;
  s: Half;
  form: SForm;
  /** The valid signature the vector was made from. */
  base: Buffer;
}

export const formOf = (s: bigint): SForm => (s > P256_N / 2n ? 'high' : 'low');

const split = (signature: Buffer): [bigint, bigint] => [
  os2ip(signature.subarray(0, WIDTH)),
  os2ip(signature.subarray(WIDTH, 2 * WIDTH)),
];

/** A fresh 64-octet signature with s in the wanted form. */
export function withForm(signature: Buffer, form: SForm): Buffer {
  const [r, s] = split(signature);
  const wanted = formOf(s) === form ? s : P256_N - s;
  return Buffer.concat([i2osp(r, WIDTH), i2osp(wanted, WIDTH)]);
}

export const formOfSignature = (signature: Buffer): SForm => formOf(split(signature)[1]);

function explain(half: Buffer, x: bigint): Half | undefined {
  const v = os2ip(half);
  for (const k of [0n, P256_N, 2n ** 256n]) {
    if (half.length >= WIDTH && v - x === k) return { kind: 'add', k, width: half.length };
  }
  const zeros = half.length - WIDTH;
  if (zeros > 0 && half.subarray(WIDTH).every((b) => b === 0) && os2ip(half.subarray(0, WIDTH)) === x) {
    return { kind: 'trail', zeros };
  }
  if ([0n, 1n, P256_N - 1n, P256_N].includes(v)) return { kind: 'fixed', bytes: half };
  return undefined;
}

/** Explains an R || S vector from the valid signature `valid` of the same message (either s form). */
export function planEcdsa(signature: Buffer, valid: Buffer): EcdsaPlan {
  const [r0, s0] = split(valid);
  if (signature.length % 2 === 0) {
    const half = signature.length / 2;
    for (const s of [s0, P256_N - s0]) {
      const r = explain(signature.subarray(0, half), r0);
      const sHalf = explain(signature.subarray(half), s);
      const base = Buffer.concat([i2osp(r0, WIDTH), i2osp(s, WIDTH)]);
      if (r && sHalf) return { r, s: sHalf, form: formOf(s), base };
    }
  }
  throw new Error(`an ES256 signature of ${signature.length} octets that no rule explains`);
}

function encode(half: Half, x: bigint): Buffer {
  switch (half.kind) {
    case 'add':
      return i2osp(x + half.k, half.width);
    case 'trail':
      return Buffer.concat([i2osp(x, WIDTH), Buffer.alloc(half.zeros)]);
    case 'fixed':
      return half.bytes;
  }
}

/** The vector's change applied to a fresh valid signature. */
export function applyEcdsa(plan: EcdsaPlan, fresh: Buffer): Buffer {
  const [r, s] = split(withForm(fresh, plan.form));
  return Buffer.concat([encode(plan.r, r), encode(plan.s, s)]);
}
