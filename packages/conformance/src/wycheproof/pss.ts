/**
 * RSASSA-PSS vectors (RFC 8017 §8.1, EMSA-PSS in §9.1) with SHA-256 and MGF1-SHA-256. The vector's
 * EM = maskedDB || H || 0xBC is taken apart with the public key; DB = PS || 0x01 || salt is kept
 * byte for byte (so a changed PS, salt length or trailer stays changed), and H is recomputed for
 * the new mHash the way the vector computed it, right or deliberately wrong.
 */
import { createHash } from 'node:crypto';

const HLEN = 32;
/** padding1 of M' = padding1 || mHash || salt (RFC 8017 §9.1.1 step 5). */
const PREFIX_LEN = 8 + HLEN;

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const xor = (a: Uint8Array, b: Uint8Array): Buffer => Buffer.from(a.map((x, i) => x ^ (b[i] ?? 0)));

/** MGF1 with SHA-256 (RFC 8017 §B.2.1). */
export function mgf1(seed: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * HLEN < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(sha256(seed, c));
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** An EM taken apart as EMSA-PSS-VERIFY does (RFC 8017 §9.1.2 steps 4 to 9). */
export interface PssParts {
  /** DB with its leftmost bit cleared (step 9). */
  db: Buffer;
  h: Buffer;
  trailer: number;
  /** The leftmost bit of maskedDB, which must be 0 (step 6): kept as the vector had it. */
  topBit: number;
}

export function splitEm(em: Buffer): PssParts {
  const dbLen = em.length - HLEN - 1;
  const h = Buffer.from(em.subarray(dbLen, dbLen + HLEN));
  const db = xor(em.subarray(0, dbLen), mgf1(h, dbLen));
  db[0] = (db[0] ?? 0) & 0x7f;
  return { db, h, trailer: em[em.length - 1] ?? 0, topBit: (em[0] ?? 0) & 0x80 };
}

/** maskedDB || H || trailer for a given H (RFC 8017 §9.1.1 steps 9 to 12). */
export function joinEm(parts: PssParts, h: Buffer): Buffer {
  const masked = xor(parts.db, mgf1(h, parts.db.length));
  masked[0] = ((masked[0] ?? 0) & 0x7f) | parts.topBit;
  return Buffer.concat([masked, h, Buffer.from([parts.trailer])]);
}

/** How the vector's H came from its mHash; `salt` is a slice [start, end) of DB. */
export type HRule =
  /** H = Hash((padding1 || mHash) XOR mask || salt); an all-zero mask is the honest H. */
  | { kind: 'hash'; salt: [number, number]; mask: Buffer }
  /** H = Hash(M') XOR delta: H itself was altered after hashing. */
  | { kind: 'xor'; salt: [number, number]; delta: Buffer }
  /** H = mHash, no hashing of M' at all. */
  | { kind: 'mhash' }
  /** H is a constant such as all zeros: message-independent, kept. */
  | { kind: 'fixed' };

export interface PssPlan {
  parts: PssParts;
  rule: HRule;
}

function hashOf(mHash: Buffer, salt: Buffer, mask: Buffer): Buffer {
  return sha256(xor(Buffer.concat([Buffer.alloc(8), mHash]), mask), salt);
}

/** Salt candidates: every suffix of DB, and every prefix of what follows the 0x01 separator. */
function saltRanges(db: Buffer): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start <= db.length; start++) ranges.push([start, db.length]);
  const separator = db.findIndex((b) => b !== 0);
  if (db[separator] === 0x01)
    for (let end = separator + 1; end < db.length; end++) ranges.push([separator + 1, end]);
  return ranges;
}

/** The salt an honest encoder wrote: everything after the separator, else the last hLen octets. */
function standardSalt(db: Buffer): [number, number] {
  const separator = db.findIndex((b) => b !== 0);
  return db[separator] === 0x01 ? [separator + 1, db.length] : [db.length - HLEN, db.length];
}

/** Alterations of padding1 || mHash tried: one flipped bit, or a whole field XORed with one byte. */
function* masks(): Generator<Buffer> {
  for (let i = 0; i < PREFIX_LEN * 8; i++) {
    const mask = Buffer.alloc(PREFIX_LEN);
    mask[i >> 3] = 1 << (i & 7);
    yield mask;
  }
  for (const [from, to] of [
    [0, 8],
    [8, PREFIX_LEN],
  ] as const) {
    for (let v = 1; v < 256; v++) yield Buffer.alloc(PREFIX_LEN).fill(v, from, to);
  }
}

const popcount = (bytes: Buffer): number =>
  bytes.reduce((n, b) => n + b.toString(2).replaceAll('0', '').length, 0);

/** Explains the vector's H from its mHash, or returns undefined when no rule fits. */
export function planPss(em: Buffer, mHash: Buffer): PssPlan | undefined {
  const parts = splitEm(em);
  const { db, h } = parts;
  const zero = Buffer.alloc(PREFIX_LEN);
  for (const salt of saltRanges(db)) {
    if (hashOf(mHash, db.subarray(...salt), zero).equals(h))
      return { parts, rule: { kind: 'hash', salt, mask: zero } };
  }
  const salt = standardSalt(db);
  for (const mask of masks()) {
    if (hashOf(mHash, db.subarray(...salt), mask).equals(h))
      return { parts, rule: { kind: 'hash', salt, mask } };
  }
  if (h.every((b) => b === h[0])) return { parts, rule: { kind: 'fixed' } };
  if (h.equals(mHash)) return { parts, rule: { kind: 'mhash' } };
  const delta = xor(h, hashOf(mHash, db.subarray(...salt), zero));
  const bits = popcount(delta);
  // A few flipped bits, or all of them, is a deliberate change; anything else is unexplained.
  if (bits <= 8 || bits >= HLEN * 8 - 8) return { parts, rule: { kind: 'xor', salt, delta } };
  return undefined;
}

/** The vector's EM over a new mHash: same DB, same trailer and top bit, H made the same way. */
export function carryPss(plan: PssPlan, mHash: Buffer): Buffer {
  const { parts, rule } = plan;
  const zero = Buffer.alloc(PREFIX_LEN);
  const h =
    rule.kind === 'hash'
      ? hashOf(mHash, parts.db.subarray(...rule.salt), rule.mask)
      : rule.kind === 'xor'
        ? xor(hashOf(mHash, parts.db.subarray(...rule.salt), zero), rule.delta)
        : rule.kind === 'mhash'
          ? mHash
          : parts.h;
  return joinEm(parts, h);
}
