/**
 * Rebuilds each planned vector over a real claims payload: same header, same defect, new
 * signing input. Valid stays valid and invalid stays invalid (test/wycheproof.test.ts checks
 * both with jose, and that the plans rebuild every vector byte for byte over its own payload).
 */
import { createHash } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { applyEcdsa, type SForm, withForm } from './ecdsa.ts';
import { freshSigner, type Signer } from './keys.ts';
import { carryPkcs1 } from './pkcs1.ts';
import type { Category, PlannedGroup, PlannedVector } from './plan.ts';
import { carryPss } from './pss.ts';
import { signRaw } from './rsa.ts';
import { applyRsaValue } from './signature-value.ts';
import { applyStructure } from './structure.ts';
import type { GroupId } from './vectors.ts';

export interface Carried {
  group: GroupId;
  tcId: number;
  comment: string;
  category: Category;
  expected: 'valid' | 'invalid';
  token: string;
  claims: { iss: string; sub: string; exp: number; aud?: string };
}

const b64u = (bytes: Buffer | string): string => Buffer.from(bytes).toString('base64url');

/** The token for `pv` over `payload` (a base64url segment); `signer` gives fresh valid signatures. */
export function carryToken(group: PlannedGroup, pv: PlannedVector, payload: string, signer: Signer): string {
  const { plan, header } = pv;
  const input = `${header}.${payload}`;
  const hash = () => createHash('sha256').update(input).digest();
  const fresh = (form?: SForm) => {
    const signature = signer(Buffer.from(input));
    return form ? withForm(signature, form) : signature;
  };
  const rsa = () => {
    if (!group.keys.rsa) throw new Error(`${group.id}: not an RSA group`);
    return group.keys.rsa;
  };
  const token = (signature: Buffer) => `${input}.${b64u(signature)}`;
  switch (plan.kind) {
    case 'resign':
      return token(fresh(plan.form));
    case 'structure':
      return applyStructure(
        plan.structure,
        { h: header, p: payload, s: b64u(fresh(plan.form)) },
        group.keys.publicKey,
      );
    case 'pkcs1':
      // The encoded message is signed as it is: RSASP1 alone, no padding added (RFC 8017 §5.2.1).
      return token(signRaw(rsa(), carryPkcs1(plan.pkcs1, hash())));
    case 'pss':
      return token(signRaw(rsa(), carryPss(plan.pss, hash())));
    case 'value':
      return token(applyRsaValue(plan.value.rule, fresh, rsa()));
    case 'ecdsa':
      return token(applyEcdsa(plan.ecdsa, fresh()));
  }
}

/** The valid signature a vector was made from, when its plan needs one (to rebuild it exactly). */
export function baseSignature(pv: PlannedVector): Buffer | undefined {
  const { plan } = pv;
  if (plan.kind === 'resign' || plan.kind === 'structure') return plan.base;
  if (plan.kind === 'value') return plan.value.base;
  if (plan.kind === 'ecdsa') return plan.ecdsa.base;
  return undefined;
}

/**
 * Every vector of `group` carried onto claims from `issuer`, expiring five minutes after `now`.
 * `aud`: for a backend that cannot run without an audience (the target's `audience`), put in
 * every payload as the suite's minted tokens carry it; the vectors' defects are in header and
 * signature, so the payload's claims change nothing about what each vector tests.
 */
export function* carryEach(
  group: PlannedGroup,
  issuer: string,
  now: number,
  only?: Category,
  aud?: string,
): Generator<Carried> {
  const signer = freshSigner(group.keys);
  for (const pv of group.vectors) {
    if (only !== undefined && pv.category !== only) continue;
    const { tcId, comment, result } = pv.vector;
    const claims = {
      iss: issuer,
      sub: `wycheproof-${group.id}-${tcId}`,
      exp: now + 300,
      ...(aud ? { aud } : {}),
    };
    const token = carryToken(group, pv, b64u(JSON.stringify(claims)), signer);
    const expected = result === 'valid' ? 'valid' : 'invalid';
    yield { group: group.id, tcId, comment, category: pv.category, expected, token, claims };
  }
}

/** `carryEach`, all at once. */
export const carryGroup = (...args: Parameters<typeof carryEach>): Carried[] => [...carryEach(...args)];

/**
 * `carryEach`, giving the event loop a turn after each vector. Carrying the 213 PKCS#1 vectors
 * takes seconds of CPU; done in one go, it stalls every group running beside it, whose idle
 * keep-alive sockets then outlive the server's keep-alive timeout unnoticed and fail their next
 * request ("fetch failed (UND_ERR_SOCKET)"): a "no answer" that the backend never gave.
 */
export async function carryGroupYielding(...args: Parameters<typeof carryEach>): Promise<Carried[]> {
  const carried: Carried[] = [];
  for (const c of carryEach(...args)) {
    carried.push(c);
    await setImmediate();
  }
  return carried;
}
