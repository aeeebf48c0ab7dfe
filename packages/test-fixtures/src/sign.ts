import { constants, createHmac, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { type Alg, isAlg, SPEC } from './algorithms.ts';
import { b64u } from './base64url.ts';

/** Signs `input` the way JWA (RFC 7518 §3) says for `alg`; HS* takes a secret for forgery tests. */
export function signBytes(alg: string, input: Buffer, key: KeyObject | Buffer | string): Buffer {
  const hmac = /^HS(256|384|512)$/.exec(alg);
  if (hmac)
    return createHmac(`sha${hmac[1]}`, key as Buffer | string)
      .update(input)
      .digest();
  if (!isAlg(alg)) throw new Error(`cannot sign with ${alg}`);
  return signAsymmetric(alg, input, key as KeyObject);
}

function signAsymmetric(alg: Alg, input: Buffer, key: KeyObject): Buffer {
  const spec = SPEC[alg];
  switch (spec.type) {
    case 'rsa':
      return spec.pss
        ? cryptoSign(spec.hash, input, {
            key,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            // RFC 7518 §3.5: the salt is as long as the hash output.
            saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
          })
        : cryptoSign(spec.hash, input, key);
    case 'ec':
      // RFC 7518 §3.4: R || S, fixed width, not DER.
      return cryptoSign(spec.hash, input, { key, dsaEncoding: 'ieee-p1363' });
    case 'ed25519':
      return cryptoSign(null, input, key);
  }
}

/** Joins already-encoded header and payload segments and appends the signature segment. */
export function compact(headerB64: string, payloadB64: string, signature: Buffer | null): string {
  return `${headerB64}.${payloadB64}.${signature ? b64u(signature) : ''}`;
}
