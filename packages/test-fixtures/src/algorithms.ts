/** The algorithms of the contract, with what Node's crypto needs to sign and verify each. */
export const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'EdDSA',
] as const;
export type Alg = (typeof ALGORITHMS)[number];

export type KeySpec =
  | { type: 'rsa'; pss: boolean; hash: string }
  | { type: 'ec'; curve: 'P-256' | 'P-384'; hash: string }
  | { type: 'ed25519' };

export const SPEC: Record<Alg, KeySpec> = {
  RS256: { type: 'rsa', pss: false, hash: 'sha256' },
  RS384: { type: 'rsa', pss: false, hash: 'sha384' },
  RS512: { type: 'rsa', pss: false, hash: 'sha512' },
  PS256: { type: 'rsa', pss: true, hash: 'sha256' },
  PS384: { type: 'rsa', pss: true, hash: 'sha384' },
  PS512: { type: 'rsa', pss: true, hash: 'sha512' },
  ES256: { type: 'ec', curve: 'P-256', hash: 'sha256' },
  ES384: { type: 'ec', curve: 'P-384', hash: 'sha384' },
  EdDSA: { type: 'ed25519' },
};

export function isAlg(value: unknown): value is Alg {
  return typeof value === 'string' && (ALGORITHMS as readonly string[]).includes(value);
}
