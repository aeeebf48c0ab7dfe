// The validating layer in front of the JWKS origin (the unix-socket server in jwt_http.conf).
// Only a real JWK Set is answered with 200, stamped with the time of the fetch; anything else
// (an error status, a timeout, a body that is not a JWK Set) is a 502, which the cache never
// stores and which lets it keep serving the last good set.

/** js_set $jwt_jwks_uri: where proxy_pass fetches the keys. */
function uri() {
  return jwt_config.jwksFetchUri;
}

function isKeySet(text) {
  try {
    const doc = JSON.parse(text);
    return doc !== null && typeof doc === 'object' && Array.isArray(doc.keys);
  } catch (_e) {
    return false;
  }
}

function refuse(r, why) {
  // This server's requests carry no client data, so its log lines cannot leak a token.
  r.warn(`jwt: cannot use the JWKS at ${jwt_config.jwksUri}: ${why}`);
  r.return(502);
}

/** /fetch: one fetch from the origin, validated. */
async function fetchKeySet(r) {
  let reply;
  try {
    reply = await r.subrequest('/origin');
  } catch (_e) {
    return refuse(r, 'the fetch failed');
  }
  if (reply.status !== 200) return refuse(r, `HTTP ${reply.status}`);
  const text = reply.responseText;
  if (!isKeySet(text)) return refuse(r, 'the answer is not a JWK Set');
  r.headersOut['X-Jwks-Fetched-At'] = String(Date.now());
  r.headersOut['Content-Type'] = 'application/json';
  r.return(200, text);
}

/** /current: a fresh fetch, or (`?promote=<t>`) the refetch already cached as next:<t>. */
async function current(r) {
  const after = r.args.promote;
  if (!after) return fetchKeySet(r);
  const reply = await r.subrequest('/next', { args: `after=${after}` });
  const fetchedAt = reply.headersOut['X-Jwks-Fetched-At'];
  if (reply.status !== 200 || !fetchedAt) return r.return(502);
  r.headersOut['X-Jwks-Fetched-At'] = fetchedAt;
  r.headersOut['Content-Type'] = 'application/json';
  r.return(200, reply.responseText);
}

export default { uri, fetch: fetchKeySet, current };
