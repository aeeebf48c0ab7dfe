import { createPublicKey, generateKeyPair, type JsonWebKey, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { type Alg, SPEC } from './algorithms.ts';

const generate = promisify(generateKeyPair) as (
  type: string,
  options: object,
) => Promise<{ privateKey: KeyObject; publicKey: KeyObject }>;

/** A key pair as the issuer holds it; `jwk` is what the JWKS publishes. */
export interface SigningKey {
  alg: Alg;
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: JsonWebKey & { kid?: string; alg: string };
}

let counter = 0;

export async function generateSigningKey(alg: Alg, kid?: string): Promise<SigningKey> {
  const spec = SPEC[alg];
  const pair =
    spec.type === 'rsa'
      ? await generate('rsa', { modulusLength: 2048 })
      : spec.type === 'ec'
        ? await generate('ec', { namedCurve: spec.curve })
        : await generate('ed25519', {});
  return fromKeyObject(
    alg,
    pair.privateKey,
    kid ?? `${alg.toLowerCase()}-${Date.now().toString(36)}-${++counter}`,
  );
}

/** Wraps an existing private key (for instance one from a test vector) as a signing key. */
export function fromKeyObject(alg: Alg, privateKey: KeyObject, kid: string): SigningKey {
  const publicKey = createPublicKey(privateKey);
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicKey, jwk };
}
