// The nginx glue: `auth_request /_jwt/verify` runs verify(); `error_page 401 403 = @jwt_error`
// runs error(). The settings are the preloaded object `jwt_config` (js_preload_object).
//
// Key caching. njs 0.7.9 keeps no state between requests (each runs in a fresh VM, and there is
// no shared dictionary before njs 0.8), so the key set lives in nginx's proxy cache, shared by
// all workers. Every cached key set carries X-Jwks-Fetched-At, the time of the fetch that got it:
// - /_jwt/jwks is the set in use ("current", kept JWT_JWKS_MAX_AGE, then refetched in the
//   background; see jwt_http.conf); it is fetched once (proxy_cache_lock makes concurrent first
//   requests, in any worker, share that fetch) and served stale while a fetch fails.
// - an unknown kid may refetch only when current is 30 s old or more (the contract's cooldown,
//   counted from the last successful fetch, whichever worker made it), through
//   /_jwt/jwks/next?after=<fetched-at>: one cache entry per previous fetch, so all the workers
//   that see the same old set share one fetch, and later ones reuse its result.
// - a successful refetch is then promoted to current, for everyone.
import cryptoModule from 'crypto';
import jwt from './jwt.js';
import jwk from './jwk.js';
import errors from './errors.js';
import expires from './expires.js';

const COOLDOWN_MS = 30000;
const MAX_REFETCHES = 3;
/** The longest a verified answer may be reused (the proxy cache in front of verify()). */
const MAX_CACHE_SECONDS = 60;

/** A key set from one of the cache locations, or null when there is none to be had. */
async function keySet(r, uri, args) {
  let reply;
  try {
    reply = await r.subrequest(uri, { args: args });
  } catch (_e) {
    return null;
  }
  const fetchedAt = Number(reply.headersOut['X-Jwks-Fetched-At']);
  if (reply.status !== 200 || !Number.isFinite(fetchedAt)) return null;
  try {
    const doc = JSON.parse(reply.responseText);
    return Array.isArray(doc.keys) ? { keys: doc.keys, fetchedAt: fetchedAt } : null;
  } catch (_e) {
    return null;
  }
}

/**
 * Wall-clock time is all the workers share (the stamp travels in the cache). A stamp from the
 * future (the clock was set back) counts as cooled down, so it cannot block refetches for long.
 */
function cooledDown(set) {
  const age = Date.now() - set.fetchedAt;
  return age >= COOLDOWN_MS || age < 0;
}

/**
 * The key for this token header, refetching once per cooldown for an unknown kid, and until
 * when the set it came from may be trusted (its fetch time plus JWT_JWKS_MAX_AGE).
 */
async function findKey(r, header) {
  let set = await keySet(r, '/_jwt/jwks', '');
  if (set === null) throw errors.unavailable();
  let found = jwk.select(set.keys, header);
  let after = null;
  for (let n = 0; found.unknownKid && cooledDown(set) && n < MAX_REFETCHES; n++) {
    after = set.fetchedAt;
    set = await keySet(r, '/_jwt/jwks/next', `after=${after}`);
    // The key is needed, it is not cached and the fetch failed: 503, not 401.
    if (set === null) throw errors.unavailable();
    found = jwk.select(set.keys, header);
  }
  if (after !== null) await keySet(r, '/_jwt/jwks', `promote=${after}`);
  if (found.unknownKid) throw errors.invalid('The token key is not in the key set.');
  return { key: found.key, setExpiresAt: set.fetchedAt / 1000 + jwt_config.jwksMaxAge };
}

/**
 * The preloaded settings as plain values: arrays from js_preload_object do not have this
 * request's Array.prototype (no indexOf), so they are copied through JSON first.
 */
const settings = () => JSON.parse(JSON.stringify(jwt_config));

async function check(r, scope) {
  const config = settings();
  const token = jwt.bearerToken(r.headersIn.Authorization);
  const parsed = jwt.parse(token, config.algorithms);
  const found = await findKey(r, parsed.header);
  if (!(await jwk.verify(found.key, parsed.header.alg, parsed.signature, parsed.signingInput))) {
    throw errors.invalid('The token signature is invalid.');
  }
  const now = Date.now() / 1000;
  jwt.checkClaims(parsed.payload, config, now);
  if (scope && !jwt.hasScope(parsed.payload, scope)) throw errors.insufficientScope();
  return { parsed: parsed, now: now, setExpiresAt: found.setExpiresAt };
}

/**
 * How long the proxy cache may reuse this success, in whole seconds: never past the
 * token's exp, never past the max age of the key set that verified it (so once the refetch that
 * drops a retired key lands, no cached answer for that key is left), and at most 60 s.
 * 0 (not cached) when either is less than a second away: a token inside the clock tolerance, or
 * a set past its max age (served while its background refetch runs).
 */
function cacheSeconds(exp, now, setExpiresAt) {
  return Math.min(expires.secondsUntil(Math.min(exp, setExpiresAt), now), MAX_CACHE_SECONDS);
}

/**
 * /verify on the private verifier server, reached through the proxy cache of /_jwt/verify (the
 * auth_request target). 200 with X-JWT-Claims/X-JWT-Sub, cached for X-Accel-Expires seconds, or
 * 401/403 with X-JWT-Error, never cached. The parent copies these with auth_request_set.
 */
async function verify(r) {
  let result;
  let failure;
  try {
    result = await check(r, r.headersIn['X-JWT-Required-Scope']);
  } catch (e) {
    failure = errors.isAuthError(e) ? e : errors.invalid('The token could not be verified.');
    // Never the token; info level, so not in the default log.
    if (failure !== e) r.log(`jwt: unexpected ${String(e)} while verifying`);
  }
  if (failure) {
    r.headersOut['X-Accel-Expires'] = '0';
    r.headersOut['X-JWT-Error'] = failure.code;
    r.headersOut['X-JWT-Error-Description'] = failure.description;
    // auth_request passes only 401 and 403 on; @jwt_error turns the code into the real status.
    return r.return(failure.code === 'insufficient_scope' ? 403 : 401, '');
  }
  const payload = result.parsed.payload;
  r.headersOut['X-Accel-Expires'] = String(cacheSeconds(payload.exp, result.now, result.setExpiresAt));
  // The payload segment as signed: base64url JSON, safe in a header line.
  r.headersOut['X-JWT-Claims'] = result.parsed.payloadSegment;
  const sub = jwt.headerSafe(payload.sub);
  if (sub) r.headersOut['X-JWT-Sub'] = sub;
  r.return(200, '');
}

/**
 * js_set $jwt_token_key: the proxy cache key of a token, a SHA-256 of the whole Authorization
 * header, so the token itself is never written into a cache file.
 */
function tokenKey(r) {
  const header = r.headersIn.Authorization;
  if (typeof header !== 'string') return '';
  return cryptoModule.createHash('sha256').update(header).digest('base64url');
}

/** @jwt_error: the contract's answer for what verify() left in $jwt_error. */
function error(r) {
  const code = r.variables.jwt_error;
  const failure = code ? errors.authError(code, r.variables.jwt_error_description) : errors.invalid('');
  const answer = errors.response(failure, r.variables.jwt_required_scope);
  for (const name in answer.headers) r.headersOut[name] = answer.headers[name];
  r.return(answer.status, answer.body);
}

export default { verify, error, tokenKey, cooledDown, cacheSeconds };
