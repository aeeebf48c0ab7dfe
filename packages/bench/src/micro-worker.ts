import { createPublicKey, verify as cryptoVerify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createVerifier, readConfig } from '@repo/verifier';
import { verify as honoVerify } from 'hono/jwt';
import { importJWK, jwtVerify } from 'jose';
import jwt from 'jsonwebtoken';
import { readPool } from './pool.ts';
import { median } from './stats.ts';
import type { BenchAlg, MicroLib, MicroResults } from './types.ts';
import { emit, workerMain } from './worker.ts';

/**
 * In-process cost of the library call each app makes per request, in microseconds, timed on the
 * server's core while no server runs: the floor every app pays (raw crypto.verify), then each
 * library with the key form the app hands it. Input: one JSON spec on stdin; output: JSON.
 */
export interface MicroSpec {
  issuer: string;
  jwks: Partial<Record<BenchAlg, JsonWebKey>>;
  pools: Partial<Record<BenchAlg, string>>;
  seconds: number;
  runs: number;
}

type Verify = (token: string) => unknown;

const NODE_HASH: Record<BenchAlg, string | null> = { RS256: 'sha256', ES256: 'sha256', EdDSA: null };

async function verifiers(
  spec: MicroSpec,
  alg: BenchAlg,
  jwk: JsonWebKey,
): Promise<Partial<Record<MicroLib, Verify>>> {
  const keyObject: KeyObject = createPublicKey({ key: jwk, format: 'jwk' });
  const pem = keyObject.export({ format: 'pem', type: 'spki' }).toString();
  const joseKey = await importJWK(jwk, alg);
  const options = { issuer: spec.issuer, algorithms: [alg] as jwt.Algorithm[] };
  const dsaEncoding = alg === 'ES256' ? ('ieee-p1363' as const) : undefined;
  const all: Partial<Record<MicroLib, Verify>> = {
    // The floor: split, decode the signature, verify it. No JSON, no claims.
    crypto: (token) => {
      const dot = token.lastIndexOf('.');
      const ok = cryptoVerify(
        NODE_HASH[alg],
        Buffer.from(token.slice(0, dot)),
        { key: keyObject, dsaEncoding },
        Buffer.from(token.slice(dot + 1), 'base64url'),
      );
      if (!ok) throw new Error('bad signature');
    },
    jose: (token) => jwtVerify(token, joseKey, { issuer: spec.issuer, algorithms: [alg] }),
    // hono/jwk hands the JWK itself to verify(), which imports it with WebCrypto on every call.
    'hono-jwt': (token) =>
      honoVerify(token, jwk as Parameters<typeof honoVerify>[1], { alg, iss: spec.issuer }),
  };
  // The apps' verifier core as they call it (the key set fetched from the issuer, the claims
  // cached). Fed distinct tokens only (see main), so the cache never answers: jose plus our code.
  const core = createVerifier(readConfig({ JWT_ISSUER: spec.issuer, JWT_ALGORITHMS: alg }), { log() {} });
  all.core = (token) => core.verify(`Bearer ${token}`);
  if (alg !== 'EdDSA') {
    all.jsonwebtoken = (token) => jwt.verify(token, keyObject, options);
    // What jwks-rsa's getPublicKey() returns and koa-jwt / the reference pages pass on: parsed every call.
    all['jsonwebtoken-pem'] = (token) => jwt.verify(token, pem, options);
  }
  return all;
}

/** Microseconds per call over about `seconds`, calling in batches to keep the clock out of the loop. */
async function time(fn: Verify, next: () => string, seconds: number): Promise<number> {
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  do {
    for (let k = 0; k < 32; k++, n++) {
      const result = fn(next());
      if (result instanceof Promise) await result;
    }
  } while (performance.now() < end);
  return ((performance.now() - start) * 1000) / n;
}

/** The same 1,000 tokens round and round: no library here caches a verified token. */
const cycle = (tokens: readonly string[]) => {
  let n = 0;
  return () => tokens[n++ % tokens.length] as string;
};

/** Each token once (the core caches verified ones); running out fails loudly instead of repeating. */
const fresh = (tokens: readonly string[]) => {
  let n = 0;
  return () => {
    if (n === tokens.length)
      throw new Error(`the core used all ${tokens.length} tokens of the pool: raise --pool`);
    return tokens[n++] as string;
  };
};

async function main(spec: MicroSpec): Promise<MicroResults> {
  const results: MicroResults = {};
  for (const [alg, jwk] of Object.entries(spec.jwks) as [BenchAlg, JsonWebKey][]) {
    const file = spec.pools[alg];
    if (!file) continue;
    const tokens = readPool(file, 1000);
    for (const [lib, fn] of Object.entries(await verifiers(spec, alg, jwk)) as [MicroLib, Verify][]) {
      const next = lib === 'core' ? fresh(readPool(file, Number.POSITIVE_INFINITY)) : cycle(tokens);
      await time(fn, next, Math.min(spec.seconds, 0.3)); // warm-up: JIT, key caches
      const runs: number[] = [];
      for (let r = 0; r < spec.runs; r++) runs.push(await time(fn, next, spec.seconds));
      results[lib] = { ...results[lib], [alg]: median(runs) };
    }
  }
  return results;
}

workerMain<MicroSpec>('micro-benchmark', async (spec) => emit(await main(spec)));
