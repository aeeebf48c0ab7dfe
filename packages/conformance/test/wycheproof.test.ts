import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, jwtVerify } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { wycheproof } from '../src/cases/wycheproof.ts';
import {
  baseSignature,
  type Carried,
  carryGroup,
  carryGroupYielding,
  carryToken,
} from '../src/wycheproof/carry.ts';
import { publishedKeys } from '../src/wycheproof/keys.ts';
import { planPkcs1 } from '../src/wycheproof/pkcs1.ts';
import { type PlannedGroup, plannedGroups } from '../src/wycheproof/plan.ts';
import { planPss } from '../src/wycheproof/pss.ts';
import { ROWS } from '../src/wycheproof/rows.ts';
import { openSignature } from '../src/wycheproof/rsa.ts';
import { SELECTION, selectedGroups, wycheproofDir } from '../src/wycheproof/vectors.ts';

const ISSUERS = ['http://127.0.0.1:3001/__zuplo/issuer', 'https://gateway.example/__zuplo/issuer'];
const nowSeconds = () => Math.floor(Date.now() / 1000);
const groups = (): PlannedGroup[] => plannedGroups();
const sha256 = (text: string) => createHash('sha256').update(text).digest();
const signatureOf = (token: string) => Buffer.from(token.split('.')[2] ?? '', 'base64url');
const inputOf = (token: string) => token.split('.').slice(0, 2).join('.');

/** jose's verdict, independent of this package's code: the vector's public JWK and its alg only. */
async function joseVerdict(group: PlannedGroup, carried: Carried): Promise<'valid' | 'invalid'> {
  const selected = selectedGroups().find((g) => g.id === group.id);
  if (!selected) throw new Error(group.id);
  const key = await importJWK(selected.group.public, selected.alg);
  try {
    const { payload } = await jwtVerify(carried.token, key, { algorithms: [selected.alg] });
    expect(payload).toEqual(carried.claims);
    return 'valid';
  } catch {
    return 'invalid';
  }
}

describe('locating the vectors', () => {
  afterEach(() => vi.unstubAllEnvs());

  it("finds the package's own vectors/ (the repository stands alone)", () => {
    vi.stubEnv('WYCHEPROOF_DIR', '');
    expect(wycheproofDir()).toBe(join(import.meta.dirname, '..', 'vectors'));
  });

  it('fails loudly, naming the path, when WYCHEPROOF_DIR holds no vectors', () => {
    const empty = mkdtempSync(join(tmpdir(), 'wycheproof-'));
    try {
      vi.stubEnv('WYCHEPROOF_DIR', empty);
      expect(() => selectedGroups()).toThrow(
        `Wycheproof vectors not found at ${join(empty, 'json_web_signature_test.json')}`,
      );
    } finally {
      rmSync(empty, { recursive: true });
    }
  });
});

// Raw RSA in BigInt takes a few milliseconds a signature: a few hundred of them need more than 5 s on slow CI.
describe('planning', { timeout: 60_000 }, () => {
  it('selects the four groups with all their cases: 226 + 48 + 15 + 24', () => {
    expect(selectedGroups().map((g) => [g.id, g.group.tests.length])).toEqual(
      SELECTION.map((s) => [s.id, s.count]),
    );
  });

  it('puts every vector in exactly one matrix row, with the counts the rows expect', () => {
    const counted = groups().flatMap((g) =>
      ROWS.filter((r) => r.group === g.id).map((r) => [
        g.id,
        r.category,
        g.vectors.filter((v) => v.category === r.category).length,
      ]),
    );
    expect(counted).toEqual(ROWS.map((r) => [r.group, r.category, r.count]));
    expect(ROWS.reduce((n, r) => n + r.count, 0)).toBe(313);
    expect(wycheproof.cases.map((c) => c.id)).toEqual(ROWS.map((r) => `${r.group}-${r.category}`));
  });

  it('rebuilds each vector byte for byte from its plan over its own payload (all but the two forged-key ones)', () => {
    let rebuilt = 0;
    for (const group of groups()) {
      for (const pv of group.vectors) {
        const { plan, vector } = pv;
        if (
          plan.kind === 'structure' &&
          (plan.structure.kind === 'hmac' || plan.structure.kind === 'embedded-jwk')
        )
          continue;
        const payload = plan.kind === 'structure' ? group.base.p : (vector.jws.split('.')[1] ?? '');
        const base = baseSignature(pv);
        const signer = () => {
          if (!base) throw new Error(`tcId ${vector.tcId} needs no fresh signature`);
          return base;
        };
        expect(carryToken(group, pv, payload, signer), `tcId ${vector.tcId} ${vector.comment}`).toBe(
          vector.jws,
        );
        rebuilt++;
      }
    }
    expect(rebuilt).toBe(311);
  });

  it('publishes the three vector keys under their kids and algorithms', () => {
    const keys = publishedKeys(groups().map((g) => g.keys)).map((k) => [k.kid, k.alg, k.jwk.use]);
    expect(keys).toEqual([
      ['kid-rsa-sign', 'RS256', 'sig'],
      ['PS256_2048', 'PS256', 'sig'],
      ['kid-ec-sign', 'ES256', 'sig'],
    ]);
  });
});

describe('carrying (self-check)', { timeout: 60_000 }, () => {
  it.each(ISSUERS)(
    'jose agrees with every vector result once carried onto claims from %s',
    async (issuer) => {
      const mismatches: string[] = [];
      const verdicts = { valid: 0, invalid: 0 };
      for (const group of groups()) {
        const carried = carryGroup(group, issuer, nowSeconds());
        expect(carried).toHaveLength(SELECTION.find((s) => s.id === group.id)?.count ?? -1);
        for (const c of carried) {
          const verdict = await joseVerdict(group, c);
          if (verdict !== c.expected)
            mismatches.push(`${group.id} tcId ${c.tcId} (${c.comment}): jose says ${verdict}`);
          verdicts[verdict]++;
        }
      }
      expect(mismatches).toEqual([]);
      expect(verdicts).toEqual({ valid: 9, invalid: 304 });
    },
  );

  it('carries an audience for a target that needs one: in every payload, every verdict unchanged', async () => {
    const verdicts = { valid: 0, invalid: 0 };
    for (const group of groups()) {
      for (const c of carryGroup(group, ISSUERS[0] ?? '', nowSeconds(), undefined, 'api://pinned')) {
        expect(c.claims.aud, `${group.id} tcId ${c.tcId}`).toBe('api://pinned');
        const verdict = await joseVerdict(group, c);
        expect(verdict, `${group.id} tcId ${c.tcId} (${c.comment})`).toBe(c.expected);
        verdicts[verdict]++;
      }
    }
    expect(verdicts).toEqual({ valid: 9, invalid: 304 });
  });

  it('carries the same vectors when it yields to the event loop between them', async () => {
    const group = groups().find((g) => g.id === 'rs256');
    if (!group) throw new Error('no rs256 group');
    const strip = (cs: Carried[]) => cs.map(({ token: _token, ...rest }) => rest);
    const at = nowSeconds();
    const yielding = await carryGroupYielding(group, ISSUERS[0] ?? '', at, 'pkcs1-padding');
    expect(strip(yielding)).toEqual(strip(carryGroup(group, ISSUERS[0] ?? '', at, 'pkcs1-padding')));
    expect(yielding).toHaveLength(213);
  });

  it('puts the new hash where each padding variant had the old one, every other EM byte unchanged', () => {
    const group = groups().find((g) => g.id === 'rs256');
    const rsa = group?.keys.rsa;
    if (!group || !rsa) throw new Error('no rs256 group');
    const carried = carryGroup(group, ISSUERS[0] ?? '', nowSeconds(), 'pkcs1-padding');
    let swapped = 0;
    for (const c of carried) {
      const pv = group.vectors.find((v) => v.vector.tcId === c.tcId);
      if (pv?.plan.kind !== 'pkcs1') throw new Error(`tcId ${c.tcId}`);
      const before = pv.plan.pkcs1;
      const em = openSignature(rsa, signatureOf(c.token));
      const again = planPkcs1(em, sha256(inputOf(c.token)));
      // The same runs and altered bytes are found in the new EM for the new hash...
      expect(JSON.stringify([again.runs, again.fixes]), `tcId ${c.tcId}`).toBe(
        JSON.stringify([before.runs, before.fixes]),
      );
      // ...and outside them it is the vector's EM.
      const touched = new Set([
        ...before.fixes.map((f) => f.at),
        ...before.runs.flatMap((r) => Array.from({ length: r.length }, (_, i) => r.at + i)),
      ]);
      expect(em.filter((_, i) => !touched.has(i))).toEqual(before.em.filter((_, i) => !touched.has(i)));
      if (before.runs.length > 0) swapped++;
    }
    expect(carried).toHaveLength(213);
    // 10 variants hold no hash at all (it was removed or replaced): their EM is kept as it is.
    expect(swapped).toBe(203);
  });

  it('gives each PSS vector the same DB, trailer and H rule over the new message', () => {
    const group = groups().find((g) => g.id === 'ps256');
    const rsa = group?.keys.rsa;
    if (!group || !rsa) throw new Error('no ps256 group');
    for (const c of carryGroup(group, ISSUERS[1] ?? '', nowSeconds())) {
      const pv = group.vectors.find((v) => v.vector.tcId === c.tcId);
      if (pv?.plan.kind !== 'pss') continue;
      const again = planPss(openSignature(rsa, signatureOf(c.token)), sha256(inputOf(c.token)));
      const { db, trailer, topBit } = pv.plan.pss.parts;
      expect(again?.parts, `tcId ${c.tcId}`).toMatchObject({ db, trailer, topBit });
      expect(again?.rule, `tcId ${c.tcId} (${c.comment})`).toEqual(pv.plan.pss.rule);
    }
  });

  it('keeps the claims valid JSON when a payload is modified, so only the signature can refuse it', () => {
    const group = groups().find((g) => g.id === 'es256');
    const modified =
      group && carryGroup(group, ISSUERS[0] ?? '', nowSeconds(), 'structure').find((c) => c.tcId === 22);
    const payload = JSON.parse(Buffer.from(modified?.token.split('.')[1] ?? '', 'base64url').toString());
    expect(payload).toEqual({ ...modified?.claims, sub: 'Xycheproof-es256-22' });
  });
});
