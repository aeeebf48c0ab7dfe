/**
 * RSASSA-PKCS1-v1_5 padding variants (RFC 8017 §8.2, EMSA-PKCS1-v1_5 in §9.2): the vector's
 * encoded message EM = 0x00 01 FF..FF 00 || DigestInfo || H, with a defect somewhere in it.
 * Carrying keeps every byte of EM and replaces only the old hash H where it appears, so the
 * defect (a bad DER length, a wrong OID, extra bytes...) is the same over the new message.
 */

/** EM[at + i] is hash[from + i] for i < length. */
export interface HashRun {
  at: number;
  from: number;
  length: number;
}

/** EM[at] is hash[index] XOR delta: a hash byte the vector altered on purpose. */
export interface HashFix {
  at: number;
  index: number;
  delta: number;
}

export interface Pkcs1Plan {
  em: Buffer;
  runs: HashRun[];
  fixes: HashFix[];
}

/** Shorter matches could be chance; 8 bytes of a SHA-256 output cannot. */
const MIN_RUN = 8;
/** OCTET STRING tag, the DigestInfo field that holds H (RFC 8017 §9.2, note 1). */
const OCTET_STRING = 0x04;

const octet = (bytes: Uint8Array, i: number): number | undefined =>
  i >= 0 && i < bytes.length ? bytes[i] : undefined;

/** Maximal runs of the hash in EM, each at its alignment (EM index minus hash index). */
function runsOf(em: Buffer, hash: Buffer): HashRun[] {
  const runs: HashRun[] = [];
  for (let offset = 1 - hash.length; offset < em.length; offset++) {
    let start = -1;
    for (let i = 0; i <= hash.length; i++) {
      const match = i < hash.length && octet(em, offset + i) === hash[i];
      if (match && start < 0) start = i;
      if (!match && start >= 0) {
        if (i - start >= MIN_RUN) runs.push({ at: offset + start, from: start, length: i - start });
        start = -1;
      }
    }
  }
  return runs;
}

/**
 * Bytes of a hash sitting right after a proper `04 20` header that differ from the hash: the
 * vector modified them (first or last byte of the octet string). They stay modified by the same
 * XOR, so the new EM never holds the new hash there, whatever its value.
 */
function fixesOf(em: Buffer, hash: Buffer, runs: HashRun[]): HashFix[] {
  const fixes: HashFix[] = [];
  for (const offset of new Set(runs.map((r) => r.at - r.from))) {
    if (octet(em, offset - 2) !== OCTET_STRING || octet(em, offset - 1) !== hash.length) continue;
    for (let i = 0; i < hash.length; i++) {
      const value = octet(em, offset + i);
      if (value !== undefined && value !== hash[i])
        fixes.push({ at: offset + i, index: i, delta: value ^ (hash[i] ?? 0) });
    }
  }
  return fixes;
}

/**
 * A short uncovered part of the hash that sits in its own primitive OCTET STRING, `04 len part`:
 * the pieces of a constructed (BER) octet string (X.690 §8.7.3), which a lax parser joins.
 */
function piecesOf(em: Buffer, hash: Buffer, covered: Set<number>): HashRun[] {
  const pieces: HashRun[] = [];
  for (let from = 0; from < hash.length; ) {
    if (covered.has(from)) {
      from++;
      continue;
    }
    let to = from;
    while (to < hash.length && !covered.has(to)) to++;
    const needle = Buffer.concat([Buffer.from([OCTET_STRING, to - from]), hash.subarray(from, to)]);
    const first = em.indexOf(needle);
    if (to - from < MIN_RUN && first >= 0 && em.indexOf(needle, first + 1) < 0) {
      pieces.push({ at: first + 2, from, length: to - from });
    }
    from = to;
  }
  return pieces;
}

/** Where the vector's hash lives in its EM. A hash found nowhere leaves EM as it is (message-independent). */
export function planPkcs1(em: Buffer, oldHash: Buffer): Pkcs1Plan {
  const runs = runsOf(em, oldHash);
  const fixes = fixesOf(em, oldHash, runs);
  const covered = new Set<number>(fixes.map((f) => f.index));
  for (const r of runs) for (let i = r.from; i < r.from + r.length; i++) covered.add(i);
  if (runs.length > 0) runs.push(...piecesOf(em, oldHash, covered));
  return { em, runs, fixes };
}

/** The vector's EM with the new hash put wherever the old one was. */
export function carryPkcs1(plan: Pkcs1Plan, newHash: Buffer): Buffer {
  const em = Buffer.from(plan.em);
  for (const r of plan.runs) newHash.copy(em, r.at, r.from, r.from + r.length);
  for (const f of plan.fixes) em[f.at] = (newHash[f.index] ?? 0) ^ f.delta;
  return em;
}
