import type { Category } from './plan.ts';
import type { GroupId } from './vectors.ts';

/**
 * The matrix rows: one per vector group and kind of case. Fixed here (not read from the file) so
 * the suite's shape never depends on the vectors being present; each row checks its own count.
 */
export interface Row {
  group: GroupId;
  category: Category;
  count: number;
  title: string;
}

export const ROWS: Row[] = [
  {
    group: 'rs256',
    category: 'valid',
    count: 1,
    title: 'RS256 (kid-rsa-sign): the valid vector, re-signed over claims, gets 200',
  },
  {
    group: 'rs256',
    category: 'structure',
    count: 12,
    title:
      'RS256: 12 structural vectors (missing or modified header, payload, signature, dots; empty string) get 401',
  },
  {
    group: 'rs256',
    category: 'pkcs1-padding',
    count: 213,
    title:
      'RS256: 213 PKCS#1 v1.5 padding variants (DigestInfo DER defects), hash swapped and re-signed raw, get 401',
  },
  {
    group: 'ps256',
    category: 'valid',
    count: 6,
    title:
      'PS256 (PS256_2048): 6 valid vectors (payload sizes, all-0 and all-1 salts), encoded with their salt, get 200',
  },
  {
    group: 'ps256',
    category: 'pss-encoding',
    count: 34,
    title:
      'PS256: 34 EMSA-PSS defects (mHash, padding1, salt length, PS, salt, H, trailer) over the new message get 401',
  },
  {
    group: 'ps256',
    category: 'signature-value',
    count: 8,
    title: 'PS256: 8 bad signature values (0, 1, n-1, n, unreduced, zero-padded, truncated) get 401',
  },
  {
    group: 'es256',
    category: 'valid',
    count: 1,
    title: 'ES256 (kid-ec-sign): the valid vector (high s), re-signed, gets 200',
  },
  {
    group: 'es256',
    category: 'structure',
    count: 12,
    title:
      'ES256: 12 structural vectors (missing or modified header, payload, signature, dots; empty string) get 401',
  },
  {
    group: 'es256',
    category: 'key-confusion',
    count: 2,
    title: 'ES256: HS256 keyed with the public key, and an attacker key embedded as jwk, get 401',
  },
  {
    group: 'es256-special',
    category: 'valid',
    count: 1,
    title: 'ES256 special cases: the valid low-s signature gets 200',
  },
  {
    group: 'es256-special',
    category: 'signature-value',
    count: 23,
    title:
      'ES256 special cases: 23 r/s edge values (0, 1, n-1, n, too long, trailing zeros, overflow) get 401',
  },
];
