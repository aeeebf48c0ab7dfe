// The validating layer in front of the JWKS origin (the unix-socket server in jwt_http.conf).
// Only a real JWK Set is answered with 200, stamped with the time of the fetch; anything else
// (a timeout, an error, a non-200 such as a redirect, which is never followed, a body over
// 512 KiB, or a body that is not a JWK Set) is a 502, which the cache never stores and which lets
// it keep serving the last good set. A failed fetch also starts a 5 s backoff, shared by all
// workers through the proxy cache (/backoff), during which the origin is not contacted.
import expires from './expires.js';
import jwk from './jwk.js';

const BACKOFF_MS = 5000;
/** The contract's limit on a JWKS document. */
const MAX_BYTES = 512 * 1024;

/** js_set $jwt_jwks_uri: where proxy_pass fetches the keys. */
function uri() {
  return jwt_config.jwksFetchUri;
}

function keySet(text) {
  try {
    const doc = JSON.parse(text);
    return doc !== null && typeof doc === 'object' && Array.isArray(doc.keys) ? doc : null;
  } catch (_e) {
    return null;
  }
}

/** Arrays from js_preload_object lack this request's Array.prototype: copied through JSON. */
const algorithms = () => JSON.parse(JSON.stringify(jwt_config.algorithms));

/** Whether any key of the set can verify one of the configured algorithms. */
const hasUsableKey = (keys, algs) => keys.some((key) => algs.some((alg) => jwk.fits(key, alg)));

/** The 502 for a failed fetch; the failure time goes to /backoff, for every worker. */
async function refuse(r, why) {
  // This server's requests carry no client data, so its log lines cannot leak a token.
  r.warn(`jwt: cannot use the JWKS at ${jwt_config.jwksUri}: ${why}; next attempt in 5 s at the earliest`);
  try {
    await r.subrequest('/backoff', { args: `failed=${Date.now()}` });
  } catch (_e) {
    // Without the mark the next request may try again sooner; the answer is a 502 all the same.
  }
  r.return(502);
}

/** Whether a fetch failed less than 5 s ago, in any worker. */
async function backingOff(r) {
  try {
    const mark = await r.subrequest('/backoff');
    const failedAt = Number(mark.headersOut['X-Jwks-Failed-At']);
    const since = Date.now() - failedAt;
    // A mark from the future (the clock was set back) does not block fetches.
    return mark.status === 200 && since >= 0 && since < BACKOFF_MS;
  } catch (_e) {
    return false;
  }
}

/** /backoff-mark, behind the cache of /backoff: stores a failure mark, or answers "none". */
function mark(r) {
  const failedAt = Number(r.args.failed);
  if (!Number.isFinite(failedAt)) return r.return(404);
  r.headersOut['X-Jwks-Failed-At'] = String(failedAt);
  // Whole seconds in the cache; the exact 5 s is checked on the stamp (backingOff).
  r.headersOut['X-Accel-Expires'] = String(BACKOFF_MS / 1000 + 1);
  r.return(200);
}

/** One fetch from the origin, validated; `then(text, fetchedAt)` answers the success. */
async function fetchKeySet(r, then) {
  if (await backingOff(r)) {
    r.log('jwt: JWKS fetch skipped, the last one failed less than 5 s ago');
    return r.return(502);
  }
  let reply;
  try {
    reply = await r.subrequest('/origin');
  } catch (_e) {
    return refuse(r, 'the fetch failed');
  }
  if (reply.status >= 300 && reply.status < 400)
    return refuse(r, `HTTP ${reply.status} (redirects are not followed)`);
  if (reply.status !== 200) return refuse(r, `HTTP ${reply.status}`);
  const text = reply.responseText;
  if (Buffer.byteLength(text) > MAX_BYTES) return refuse(r, 'the answer is larger than 512 KiB');
  const doc = keySet(text);
  if (doc === null) return refuse(r, 'the answer is not a JWK Set');
  const algs = algorithms();
  if (!hasUsableKey(doc.keys, algs)) {
    // Logged once per fetch, not per request. The set is kept: it is what the issuer publishes.
    r.warn(
      `jwt: the JWKS at ${jwt_config.jwksUri} holds no key this app can use with ` +
        `${algs.join(', ')} (Ed25519/EdDSA keys cannot be used: njs 0.7.9 has no Ed25519); ` +
        "sign with RS256 or ES256: set the gateway JWT service's `algorithm` option",
    );
  }
  then(text, Date.now());
}

function answer(r, text, fetchedAt) {
  r.headersOut['X-Jwks-Fetched-At'] = String(fetchedAt);
  r.headersOut['Content-Type'] = 'application/json';
  r.return(200, text);
}

/** The set in use is cached until JWT_JWKS_MAX_AGE after the fetch that got it. */
function answerCurrent(r, text, fetchedAt) {
  const until = fetchedAt / 1000 + jwt_config.jwksMaxAge;
  // At least 1 s (0 would mean "never stored"): a max age of 1 s may run up to 2 s.
  r.headersOut['X-Accel-Expires'] = String(Math.max(1, expires.secondsUntil(until, Date.now() / 1000)));
  answer(r, text, fetchedAt);
}

/** /fetch: the refetch for an unknown kid (cached as next:<fetched-at>). */
function fetchNext(r) {
  return fetchKeySet(r, (text, fetchedAt) => answer(r, text, fetchedAt));
}

/** /current: a fresh fetch, or (`?promote=<t>`) the refetch already cached as next:<t>. */
async function current(r) {
  const after = r.args.promote;
  if (!after) return fetchKeySet(r, (text, fetchedAt) => answerCurrent(r, text, fetchedAt));
  const reply = await r.subrequest('/next', { args: `after=${after}` });
  const fetchedAt = Number(reply.headersOut['X-Jwks-Fetched-At']);
  if (reply.status !== 200 || !Number.isFinite(fetchedAt)) return r.return(502);
  answerCurrent(r, reply.responseText, fetchedAt);
}

export default { uri, fetch: fetchNext, current, mark };
