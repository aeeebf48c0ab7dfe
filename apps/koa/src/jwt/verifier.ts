import { decodeJwt, decodeProtectedHeader, type JWTPayload, type JWTVerifyOptions, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { bearerToken, checkShape } from './bearer.js';
import type { Config } from './config.js';
import { Doorkeeper } from './doorkeeper.js';
import { AuthError } from './errors.js';
import { KeySet, type WaitUntil } from './jwks.js';

/** The verified claims, frozen: a cached set is shared by every request bearing that token. */
export type Claims = Readonly<JWTPayload>;

export interface VerifierOptions {
  fetch?: typeof fetch;
  /** Where failed JWKS fetches are told, one line each (default console.error). */
  log?: (line: string) => void;
}

export interface Verifier {
  /** The request header the token comes in (lower-case): `authorization` unless JWT_HEADER says. */
  readonly header: string;
  /** Resolves to the verified claims of the token in that header's value; rejects only with AuthError. */
  verify(value: string | null | undefined, context?: WaitUntil): Promise<Claims>;
}

const UNKNOWN_ISSUER = 'The token issuer is not accepted.';

/** jose's errors in our words, by `code` (and `claim`): jose's messages never reach a client. */
const DESCRIPTIONS: Record<string, string> = {
  ERR_JWT_EXPIRED: 'The token has expired.',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'The token signature is invalid.',
  ERR_JOSE_ALG_NOT_ALLOWED: 'The token algorithm is not accepted.',
  ERR_JOSE_NOT_SUPPORTED: 'The token uses an algorithm or a critical extension that is not supported.',
  ERR_JWKS_NO_MATCHING_KEY: 'No key of the issuer fits the token.',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'Several keys of the issuer fit the token; it needs a kid.',
  ERR_JWS_INVALID: 'The token is malformed.',
  ERR_JWT_INVALID: 'The token is malformed.',
  iss: UNKNOWN_ISSUER,
  aud: 'The token audience is not accepted.',
  exp: 'The token has no valid expiry.',
  nbf: 'The token is not valid yet.',
};

const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const;
/** Verified tokens kept at most; first sightings remembered between the doorkeeper's resets. */
const CACHED_TOKENS = 10_000;

/** Whatever jose or WebCrypto rejects (a JWKS key that cannot be imported too) is the client's 401. */
function invalid(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  const { code, claim, reason } = (error ?? {}) as { code?: unknown; claim?: unknown; reason?: unknown };
  // jose's reason `invalid`: an nbf or iat that is not a number (RFC 7519 §2 NumericDate), which
  // is neither "not valid yet" nor unknown; exp keeps its own sentence, missing or not a number.
  if (reason === 'invalid' && (claim === 'nbf' || claim === 'iat'))
    return AuthError.invalidToken(`The token ${claim} is not a valid date.`);
  const key = code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' ? claim : code;
  return AuthError.invalidToken(DESCRIPTIONS[String(key)] ?? 'The token could not be verified.');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value))
    for (const member of Object.values(Object.freeze(value))) deepFreeze(member);
  return value;
}

/** Make it once at start-up: it holds the key set and the cache of verified tokens. */
export function createVerifier(config: Config, options: VerifierOptions = {}): Verifier {
  // Exact token -> claims, successes only, from a token's second verification on; bounded in
  // entries and in token text.
  const verified = new LRUCache<string, Claims>({
    max: CACHED_TOKENS,
    maxSize: 4 * 1024 * 1024,
    sizeCalculation: (_claims, token) => token.length,
  });
  // One key set per issuer, each with its own fetches, backoff and cooldown: one issuer down
  // never costs another's tokens.
  const keySets = new Map(
    config.issuers.map((issuer) => [
      issuer,
      new KeySet({
        issuer,
        uri: config.jwksUri,
        maxAgeMs: config.jwksMaxAge * 1000,
        fetch: options.fetch ?? ((input, init) => fetch(input, init)),
        // A key was retired: the tokens it verified stop working now, not when their entries expire.
        onChange: () => verified.clear(),
        log: options.log ?? ((line) => console.error(line)),
      }),
    ]),
  );
  const seenBefore = new Doorkeeper(CACHED_TOKENS);
  // Built once. jwtVerify checks the signature, crit (RFC 7515 §4.1.11), alg, iss, aud, exp, nbf.
  const checks: JWTVerifyOptions = {
    audience: config.audience,
    algorithms: config.algorithms,
    clockTolerance: config.clockTolerance,
    requiredClaims: ['exp'],
  };
  // One issuer (the usual case) with its keys in hand: the token is not read before jwtVerify, which
  // checks `iss` itself. keySetOf still reads it first whenever a fetch could follow (cold keys, a
  // kid not found) and whenever verification fails, so a stranger's token costs no fetch and gets
  // the same answer either way; what it saves is a second decoding of every fresh token.
  const [only] = keySets.size === 1 ? keySets : [];

  /**
   * The key set of the issuer the token names. `iss` is read unverified only to choose it: jwtVerify
   * still checks `iss` against that issuer, so a token signed with another issuer's key fails.
   */
  function keySetOf(token: string): [string, KeySet] {
    let iss: unknown;
    try {
      decodeProtectedHeader(token); // a header that is not a JSON object is malformed, whatever the iss
      iss = decodeJwt(token).iss;
    } catch {
      throw AuthError.invalidToken('The token is malformed.');
    }
    const keys = typeof iss === 'string' ? keySets.get(iss) : undefined;
    // Not one of ours: refused before any fetch, so strangers' tokens cost the issuers nothing.
    if (!keys) throw AuthError.invalidToken(UNKNOWN_ISSUER);
    return [iss as string, keys];
  }

  async function verifyToken(token: string, context?: WaitUntil): Promise<Claims> {
    checkShape(token);
    const [issuer, keys] = only?.[1].current ? only : keySetOf(token);
    const options = { ...checks, issuer };
    // A key retired while this verification runs must not leave its result in the cache.
    const generation = keys.generation;
    const warm = keys.current !== undefined; // a set fetched for this very token is not old
    let result: Awaited<ReturnType<typeof jwtVerify>>;
    try {
      result = await jwtVerify(token, keys.resolver, options);
    } catch (error) {
      keySetOf(token); // not read yet (one issuer, warm): a malformed or stranger's token says so
      // No key fits: an unknown kid may be a rotation, so one refetch (bounded) and one retry.
      const noKey = (error as { code?: unknown })?.code === 'ERR_JWKS_NO_MATCHING_KEY';
      if (!noKey || !(await keys.refetchFor(decodeProtectedHeader(token).kid))) throw invalid(error);
      result = await jwtVerify(token, keys.resolver, options).catch((retry: unknown) => {
        throw invalid(retry);
      });
    }
    if (warm) keys.refreshIfOld(context); // after verifying: a stranger's token never starts it
    const claims = deepFreeze(result.payload);
    // RFC 7519 §2: a NumericDate is a number of seconds. JSON's 1e400 parses to Infinity, which
    // jose takes as a number: such an exp would never pass.
    for (const claim of TIME_CLAIMS)
      if (claim in claims && !Number.isFinite(claims[claim]))
        throw AuthError.invalidToken(`The token ${claim} is not a valid date.`);
    const ttl = Math.min((claims.exp as number) * 1000 - Date.now(), 60_000);
    if (ttl > 0 && keys.generation === generation && seenBefore.admit(token))
      verified.set(token, claims, { ttl });
    return claims;
  }

  return {
    header: config.header,
    async verify(value, context) {
      try {
        const token = bearerToken(value, config.tokenPrefix);
        const cached = verified.get(token);
        if (!cached) return await verifyToken(token, context);
        keySets.get(cached.iss as string)?.refreshIfOld(context);
        return cached;
      } catch (error) {
        throw AuthError.from(error);
      }
    },
  };
}
