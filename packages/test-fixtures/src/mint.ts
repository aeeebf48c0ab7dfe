import type { KeyObject } from 'node:crypto';
import { isAlg } from './algorithms.ts';
import { b64u } from './base64url.ts';
import type { SigningKey } from './keys.ts';
import { compact, signBytes } from './sign.ts';

export type Claims = Record<string, unknown>;

/** Every knob the conformance suite needs to build a token, valid or not. */
export interface MintOptions {
  /** Header `alg` (default: the issuer's `defaultAlg`, EdDSA); also selects the issuer key unless `key` is given. */
  alg?: string;
  /** Sign with this key instead of the issuer's published key for `alg` (a foreign key, say). */
  key?: SigningKey;
  /** Header `kid`: defaults to the key's kid; `null` leaves it out. */
  kid?: string | null;
  /** Extra or replaced header fields; a field set to `undefined` is removed. */
  header?: Record<string, unknown>;
  /** Raw header JSON text, used verbatim instead of the built header. */
  headerJson?: string;
  /** Raw payload JSON text, used verbatim instead of the claims. */
  payloadJson?: string;
  /** Signing material that overrides the key: an HMAC secret for HS* forgeries, or another key. */
  signWith?: KeyObject | Buffer | string;
  /** Leave the signature segment empty (`header.payload.`). */
  unsigned?: boolean;
}

export const now = (): number => Math.floor(Date.now() / 1000);

/** Drops the fields whose value is `undefined`, so callers can remove defaults. */
export function prune<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function defaultClaims(issuer: string): Claims {
  const iat = now();
  return { iss: issuer, sub: 'user-123', iat, exp: iat + 300 };
}

export function buildToken(claims: Claims, options: MintOptions, key: SigningKey | undefined): string {
  const alg = options.alg ?? key?.alg ?? 'RS256';
  const header = prune({
    alg,
    typ: 'JWT',
    kid: options.kid === null ? undefined : (options.kid ?? key?.kid),
    ...options.header,
  });
  const headerB64 = b64u(options.headerJson ?? JSON.stringify(header));
  const payloadB64 = b64u(options.payloadJson ?? JSON.stringify(prune(claims)));
  if (options.unsigned) return compact(headerB64, payloadB64, null);
  const material = options.signWith ?? key?.privateKey;
  if (!material) throw new Error(`no key to sign ${alg} with`);
  // Sign as the header says when that is an algorithm at all (HS* with a secret is a forgery);
  // for headers such as `none`, sign with the key's own algorithm.
  const signingAlg = isAlg(alg) || /^HS(256|384|512)$/.test(alg) || !key ? alg : key.alg;
  return compact(
    headerB64,
    payloadB64,
    signBytes(signingAlg, Buffer.from(`${headerB64}.${payloadB64}`), material),
  );
}
