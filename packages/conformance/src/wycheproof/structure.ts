/**
 * Vectors about the JWS Compact Serialization itself (RFC 7515 §7.1): missing or extra parts,
 * a changed header, payload or signature, and keys the token brings along. Each is described
 * against the group's valid token so the same operation applies to a fresh one.
 */
import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/** The base64url segments of a valid token. */
export interface Segments {
  h: string;
  p: string;
  s: string;
}

type Part = 'h' | 'p' | 's' | '';

export type StructurePlan =
  /** Segments of the valid token rearranged or left out: `h.p`, `.p.s`, `p`, the empty string... */
  | { kind: 'shape'; parts: Part[] }
  /** A header changed by the vector (an unknown kid): message-independent, kept verbatim. */
  | { kind: 'header'; header: string }
  | { kind: 'payload' }
  /** The signature with a few octets changed: the same XOR on a fresh one. */
  | { kind: 'signature'; delta: Buffer }
  /** `alg: HS*` with a MAC keyed by the public key (RFC 8725 §2.1, key confusion). */
  | { kind: 'hmac'; header: string }
  /** The header carries its own `jwk` (RFC 7515 §4.1.3), signed by that attacker key. */
  | { kind: 'embedded-jwk'; header: Record<string, unknown> };

const text = (segment: string): Buffer => Buffer.from(segment, 'base64url');
const b64u = (bytes: Buffer | string): string => Buffer.from(bytes).toString('base64url');

/**
 * The vector turns the first octet of its payload into "X" ("foo" becomes "Xoo"). A claims payload
 * gets its `sub` changed that way instead: it stays valid JSON and valid claims, so only the
 * signature check can refuse it.
 */
export function modifyPayload(payload: Buffer): Buffer {
  let claims: unknown;
  try {
    claims = JSON.parse(payload.toString());
  } catch {
    return Buffer.concat([Buffer.from('X'), payload.subarray(1)]);
  }
  const sub = (claims as { sub?: unknown })?.sub;
  if (typeof sub !== 'string' || sub.startsWith('X'))
    throw new Error('a claims payload needs a sub not starting with X');
  return Buffer.from(JSON.stringify({ ...(claims as object), sub: `X${sub.slice(1)}` }));
}

function header(segment: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text(segment).toString());
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Describes `jws` against the valid token `base`; undefined when it is not a structural vector. */
export function planStructure(jws: string, base: Segments, alg: string): StructurePlan | undefined {
  const parts = jws.split('.');
  const named = parts.map((p): Part | undefined =>
    p === '' ? '' : p === base.h ? 'h' : p === base.p ? 'p' : p === base.s ? 's' : undefined,
  );
  if (named.every((p) => p !== undefined) && named.join('.') !== 'h.p.s')
    return { kind: 'shape', parts: named as Part[] };
  const [h = '', p = '', s = ''] = parts;
  if (parts.length !== 3) return undefined;
  const fields = header(h);
  if (h !== base.h && p === base.p && fields) {
    if (fields.alg !== alg && /^HS(256|384|512)$/.test(String(fields.alg)))
      return { kind: 'hmac', header: h };
    if (fields.jwk && typeof fields.jwk === 'object' && fields.alg === 'ES256')
      return { kind: 'embedded-jwk', header: fields };
    if (s === base.s) return { kind: 'header', header: h };
  }
  if (h === base.h && s === base.s && p === b64u(modifyPayload(text(base.p)))) return { kind: 'payload' };
  if (h === base.h && p === base.p) {
    const delta = Buffer.from(text(s).map((b, i) => b ^ (text(base.s)[i] ?? 0)));
    const changed = delta.filter((b) => b !== 0).length;
    if (text(s).length === text(base.s).length && changed > 0 && changed <= 4)
      return { kind: 'signature', delta };
  }
  return undefined;
}

let attacker: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

/** The token for `plan` built from a fresh valid token `fresh`, whose verification key is `publicKey`. */
export function applyStructure(plan: StructurePlan, fresh: Segments, publicKey: KeyObject): string {
  const { h, p, s } = fresh;
  switch (plan.kind) {
    case 'shape':
      return plan.parts.map((part) => (part === '' ? '' : fresh[part])).join('.');
    case 'header':
      return `${plan.header}.${p}.${s}`;
    case 'payload':
      return `${h}.${b64u(modifyPayload(text(p)))}.${s}`;
    case 'signature':
      return `${h}.${p}.${b64u(Buffer.from(text(s).map((b, i) => b ^ (plan.delta[i] ?? 0))))}`;
    case 'hmac': {
      // The vector's exact key bytes are not recoverable from the file; the SPKI PEM of the public
      // key is what a verifier that mixes up key types would most likely hand to HMAC.
      const hash = `sha${String(header(plan.header)?.alg).slice(2)}`;
      const secret = publicKey.export({ type: 'spki', format: 'pem' });
      return `${plan.header}.${p}.${b64u(createHmac(hash, secret).update(`${plan.header}.${p}`).digest())}`;
    }
    case 'embedded-jwk': {
      attacker ??= generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const { x, y } = attacker.publicKey.export({ format: 'jwk' });
      const jwk = { ...(plan.header.jwk as object), x, y };
      const forged = b64u(JSON.stringify({ ...plan.header, jwk }));
      const signature = sign('sha256', Buffer.from(`${forged}.${p}`), {
        key: attacker.privateKey,
        dsaEncoding: 'ieee-p1363',
      });
      return `${forged}.${p}.${b64u(signature)}`;
    }
  }
}
