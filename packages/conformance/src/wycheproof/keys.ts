import { constants, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { fromKeyObject, type SigningKey } from '@repo/test-fixtures';
import { type RsaKey, rsaKey } from './rsa.ts';
import type { SelectedGroup, VectorAlg } from './vectors.ts';

/** A group's key pair, as the vectors give it. */
export interface GroupKeys {
  alg: VectorAlg;
  kid: string;
  privateKey: KeyObject;
  /** Imported from the vector's `public` JWK, not derived from the private one. */
  publicKey: KeyObject;
  /** The RSA numbers, for raw signing of encoded messages. */
  rsa?: RsaKey;
}

const jwkText = (key: KeyObject): string => JSON.stringify(key.export({ format: 'jwk' }));

export function keysOf({ alg, group }: SelectedGroup): GroupKeys {
  const privateKey = createPrivateKey({ key: group.private, format: 'jwk' });
  const publicKey = createPublicKey({ key: group.public, format: 'jwk' });
  if (jwkText(createPublicKey(privateKey)) !== jwkText(publicKey)) {
    throw new Error(`${group.public.kid}: the vector's public key does not match its private key`);
  }
  return {
    alg,
    kid: group.public.kid,
    privateKey,
    publicKey,
    rsa: alg === 'ES256' ? undefined : rsaKey(group.private),
  };
}

/** RFC 7518 §3.3 to §3.5: what `alg` means for Node's sign and verify. */
function options(alg: VectorAlg, key: KeyObject) {
  if (alg === 'PS256') {
    // The salt is as long as the hash, and only that length verifies (RFC 7518 §3.5).
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
  }
  if (alg === 'ES256') return { key, dsaEncoding: 'ieee-p1363' as const };
  return { key };
}

/** A fresh valid signature over `input` (randomized for PS256 and ES256). */
export type Signer = (input: Buffer) => Buffer;

export const freshSigner =
  (keys: GroupKeys): Signer =>
  (input) =>
    sign('sha256', input, options(keys.alg, keys.privateKey));

export const isValidSignature = (keys: GroupKeys, input: Buffer, signature: Buffer): boolean =>
  verify('sha256', input, options(keys.alg, keys.publicKey), signature);

/** The keys the issuer publishes: one per kid (the two ES256 groups share `kid-ec-sign`). */
export function publishedKeys(groups: GroupKeys[]): SigningKey[] {
  const byKid = new Map<string, GroupKeys>();
  for (const keys of groups) {
    const known = byKid.get(keys.kid);
    const same = (a: KeyObject, b: KeyObject) => jwkText(a) === jwkText(b);
    if (known && (known.alg !== keys.alg || !same(known.publicKey, keys.publicKey))) {
      throw new Error(`two different vector keys share the kid ${keys.kid}`);
    }
    byKid.set(keys.kid, keys);
  }
  return [...byKid.values()].map((k) => fromKeyObject(k.alg, k.privateKey, k.kid));
}
