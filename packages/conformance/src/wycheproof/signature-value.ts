/**
 * Defects of the RSA signature value itself rather than of the encoded message: a value a
 * verifier must refuse before any padding check (RFC 8017 §8.1.2 / §8.2.2 step 1: the length
 * must be k octets; §5.2.2 RSAVP1 step 1: the representative must be below n).
 */
import { i2osp, os2ip, type RsaKey } from './rsa.ts';

export type ValueRule =
  /** 0, 1, n-1 or n: message-independent, kept byte for byte. */
  | { kind: 'verbatim'; signature: Buffer }
  | { kind: 'prepend'; zeros: number }
  | { kind: 'append'; zeros: number }
  /** s + m·n written on `length` octets: the same class mod n, never reduced. */
  | { kind: 'add-n'; multiple: bigint; length: number }
  /** The first (`start`) or last (`end`) `length` octets of a valid signature. */
  | { kind: 'truncate'; length: number; keep: 'start' | 'end' };

export interface ValuePlan {
  rule: ValueRule;
  /** The valid signature the vector was made from (to rebuild the vector in tests). */
  base?: Buffer;
}

const zerosAtStart = (b: Buffer): number => {
  const i = b.findIndex((x) => x !== 0);
  return i < 0 ? b.length : i;
};
const zerosAtEnd = (b: Buffer): number => zerosAtStart(Buffer.from(b).reverse());

/**
 * Explains a signature that is not a k-octet value below n (or is 0, 1, n-1), from the valid
 * signatures `bases` known for the same message; undefined when it is an ordinary value.
 */
export function planRsaValue(
  signature: Buffer,
  key: RsaKey,
  isValid: (candidate: Buffer) => boolean,
  bases: () => Buffer[],
): ValuePlan | undefined {
  const { k, n } = key;
  const s = os2ip(signature);
  if (signature.length === k && [0n, 1n, n - 1n, n].includes(s))
    return { rule: { kind: 'verbatim', signature } };
  if (signature.length === k && s < n) return undefined;
  const lead = zerosAtStart(signature);
  const tail = zerosAtEnd(signature);
  if (signature.length > k && lead === signature.length - k && isValid(signature.subarray(lead))) {
    return { rule: { kind: 'prepend', zeros: lead }, base: signature.subarray(lead) };
  }
  if (signature.length > k && tail >= signature.length - k && isValid(signature.subarray(0, k))) {
    return { rule: { kind: 'append', zeros: signature.length - k }, base: signature.subarray(0, k) };
  }
  if (s >= n && isValid(i2osp(s % n, k))) {
    return { rule: { kind: 'add-n', multiple: s / n, length: signature.length }, base: i2osp(s % n, k) };
  }
  if (signature.length < k) {
    for (const base of bases()) {
      if (base.subarray(0, signature.length).equals(signature)) {
        return { rule: { kind: 'truncate', length: signature.length, keep: 'start' }, base };
      }
      if (base.subarray(k - signature.length).equals(signature)) {
        return { rule: { kind: 'truncate', length: signature.length, keep: 'end' }, base };
      }
    }
  }
  throw new Error(`an RSA signature of ${signature.length} octets that no rule explains`);
}

/** The same defect applied to a fresh valid signature (made only when the rule needs one). */
export function applyRsaValue(rule: ValueRule, fresh: () => Buffer, key: RsaKey): Buffer {
  switch (rule.kind) {
    case 'verbatim':
      return rule.signature;
    case 'prepend':
      return Buffer.concat([Buffer.alloc(rule.zeros), fresh()]);
    case 'append':
      return Buffer.concat([fresh(), Buffer.alloc(rule.zeros)]);
    case 'add-n':
      return i2osp(os2ip(fresh()) + rule.multiple * key.n, rule.length);
    case 'truncate': {
      const signature = fresh();
      return rule.keep === 'start'
        ? signature.subarray(0, rule.length)
        : signature.subarray(signature.length - rule.length);
    }
  }
}
