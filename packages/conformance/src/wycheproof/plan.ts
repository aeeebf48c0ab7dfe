/**
 * Reads each vector once and records what makes it valid or invalid, independently of its
 * payload, so carry.ts can rebuild the same case over any claims.
 */
import { createHash } from 'node:crypto';
import { type EcdsaPlan, formOfSignature, planEcdsa, type SForm } from './ecdsa.ts';
import { type GroupKeys, isValidSignature, keysOf } from './keys.ts';
import { type Pkcs1Plan, planPkcs1 } from './pkcs1.ts';
import { type PssPlan, planPss } from './pss.ts';
import { i2osp, openSignature, os2ip } from './rsa.ts';
import { planRsaValue, type ValuePlan } from './signature-value.ts';
import { planStructure, type Segments, type StructurePlan } from './structure.ts';
import { type GroupId, type SelectedGroup, selectedGroups, type Vector } from './vectors.ts';

export type Category =
  | 'valid'
  | 'structure'
  | 'key-confusion'
  | 'pkcs1-padding'
  | 'pss-encoding'
  | 'signature-value';

export type Plan =
  /** A valid vector: its header over the new payload, signed afresh (ES256: in the vector's s form). */
  | { kind: 'resign'; form?: SForm; base: Buffer }
  | { kind: 'structure'; structure: StructurePlan; form?: SForm; base: Buffer }
  | { kind: 'pkcs1'; pkcs1: Pkcs1Plan }
  | { kind: 'pss'; pss: PssPlan }
  | { kind: 'value'; value: ValuePlan }
  | { kind: 'ecdsa'; ecdsa: EcdsaPlan };

export interface PlannedVector {
  vector: Vector;
  category: Category;
  /** The header segment of the carried token (the vector's own, or the valid one for structural cases). */
  header: string;
  plan: Plan;
}

export interface PlannedGroup {
  id: GroupId;
  keys: GroupKeys;
  /** The group's first valid token, the one its structural vectors were made from. */
  base: Segments;
  vectors: PlannedVector[];
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();
const bytes = (segment: string): Buffer => Buffer.from(segment, 'base64url');

/** Valid signatures over `input` hidden in the group's vectors (a signature with zeros around it, say). */
function basesFor(keys: GroupKeys, vectors: Vector[], input: string): Buffer[] {
  const { rsa } = keys;
  if (!rsa) return [];
  return vectors.flatMap((v) => {
    const [h, p, s] = v.jws.split('.');
    if (`${h}.${p}` !== input || s === undefined) return [];
    const sig = bytes(s);
    const lead = sig.findIndex((b) => b !== 0);
    const candidates = [sig.subarray(lead), sig.subarray(0, rsa.k), i2osp(os2ip(sig) % rsa.n, rsa.k)];
    return candidates.filter((c) => c.length === rsa.k && isValidSignature(keys, Buffer.from(input), c));
  });
}

function planVector(group: SelectedGroup, keys: GroupKeys, base: Segments, v: Vector): PlannedVector {
  const [h = '', p = '', s = ''] = v.jws.split('.');
  const input = `${h}.${p}`;
  const sig = bytes(s);
  const own = (category: Category, plan: Plan): PlannedVector => ({ vector: v, category, header: h, plan });
  if (v.result !== 'valid' && v.result !== 'invalid') throw new Error(`tcId ${v.tcId}: result ${v.result}`);
  if (v.result === 'valid' && keys.alg !== 'PS256') {
    return own('valid', {
      kind: 'resign',
      form: keys.alg === 'ES256' ? formOfSignature(sig) : undefined,
      base: sig,
    });
  }
  const altered = v.flags.includes('ModifiedPadding') || v.flags.includes('ModifiedSignature');
  const structure = v.result === 'invalid' && !altered ? planStructure(v.jws, base, keys.alg) : undefined;
  if (structure) {
    const category =
      structure.kind === 'hmac' || structure.kind === 'embedded-jwk' ? 'key-confusion' : 'structure';
    const form = keys.alg === 'ES256' ? formOfSignature(bytes(base.s)) : undefined;
    return {
      vector: v,
      category,
      header: base.h,
      plan: { kind: 'structure', structure, form, base: bytes(base.s) },
    };
  }
  if (keys.alg === 'ES256')
    return own('signature-value', { kind: 'ecdsa', ecdsa: planEcdsa(sig, bytes(base.s)) });
  const rsa = keys.rsa;
  if (!rsa) throw new Error(`${group.id}: no RSA key`);
  const valid = (candidate: Buffer) => isValidSignature(keys, Buffer.from(input), candidate);
  const value = planRsaValue(sig, rsa, valid, () => basesFor(keys, group.group.tests, input));
  if (value) return own('signature-value', { kind: 'value', value });
  const em = openSignature(rsa, sig);
  if (keys.alg === 'RS256')
    return own('pkcs1-padding', { kind: 'pkcs1', pkcs1: planPkcs1(em, sha256(input)) });
  const pss = planPss(em, sha256(input));
  if (!pss) throw new Error(`${group.id} tcId ${v.tcId} (${v.comment}): no rule explains its PSS hash`);
  const honest = pss.rule.kind === 'hash' && pss.rule.mask.every((b) => b === 0);
  if (v.result === 'valid' && !honest)
    throw new Error(`${group.id} tcId ${v.tcId}: a valid vector with a dishonest H`);
  return own(v.result === 'valid' ? 'valid' : 'pss-encoding', { kind: 'pss', pss });
}

export function planGroup(group: SelectedGroup): PlannedGroup {
  const keys = keysOf(group);
  const first = group.group.tests.find((t) => t.result === 'valid');
  const [h, p, s] = first?.jws.split('.') ?? [];
  if (h === undefined || p === undefined || s === undefined)
    throw new Error(`${group.id}: no valid compact token`);
  const base = { h, p, s };
  return {
    id: group.id,
    keys,
    base,
    vectors: group.group.tests.map((v) => planVector(group, keys, base, v)),
  };
}

const planned = new WeakMap<SelectedGroup[], PlannedGroup[]>();

/** Every selected group, planned once per vectors file. */
export function plannedGroups(): PlannedGroup[] {
  const groups = selectedGroups();
  const known = planned.get(groups);
  if (known) return known;
  const plans = groups.map(planGroup);
  planned.set(groups, plans);
  return plans;
}
