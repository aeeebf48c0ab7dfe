// The one error shape of the verifier and the one place RFC 6750 answers are built.
// njs 0.7.9 dialect throughout njs/: no classes, destructuring, spread, for...of,
// default parameters or optional chaining (the parser refuses them).

// The contract's backoff after a failed JWKS fetch: no sooner is there a point in trying again.
const RETRY_AFTER_SECONDS = 5;

const STATUS = {
  missing_token: 401,
  invalid_token: 401,
  insufficient_scope: 403,
  temporarily_unavailable: 503,
};

const MESSAGES = {
  missing_token: 'A bearer token is required.',
  insufficient_scope: 'The token does not grant the scope this route needs.',
  temporarily_unavailable: 'The signing keys cannot be fetched right now; try again shortly.',
};

/** What the verifier throws: a contract error code and, for invalid_token, a short sentence. */
function authError(code, description) {
  return { jwtError: true, code: code, description: description || '' };
}

const isAuthError = (value) => typeof value === 'object' && value !== null && value.jwtError === true;

const missing = () => authError('missing_token');
const invalid = (description) => authError('invalid_token', description);
const insufficientScope = () => authError('insufficient_scope');
const unavailable = () => authError('temporarily_unavailable');

/** RFC 7230 §3.2.6 quoted-string: `"` and `\` escaped, control characters dropped. */
function quote(value) {
  const printable = String(value)
    .split('')
    .filter((c) => c >= ' ' && c !== '\x7f')
    .join('');
  return `"${printable.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The WWW-Authenticate value for an error (RFC 6750 §3), or undefined for a 503. */
function challenge(error, scope) {
  if (error.code === 'missing_token') return `Bearer realm=${quote('api')}`;
  if (error.code === 'invalid_token') {
    return `Bearer realm=${quote('api')}, error=${quote('invalid_token')}, error_description=${quote(error.description)}`;
  }
  if (error.code === 'insufficient_scope') {
    return `Bearer realm=${quote('api')}, error=${quote('insufficient_scope')}, scope=${quote(scope)}`;
  }
  return undefined;
}

/** Status, headers and JSON body of the answer to an error. */
function response(error, scope) {
  const code = STATUS[error.code] ? error.code : 'invalid_token';
  const known = code === error.code ? error : invalid('The token could not be verified.');
  /** @type {Record<string, string>} */
  const headers = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
  const www = challenge(known, scope);
  if (www !== undefined) headers['WWW-Authenticate'] = www;
  if (code === 'temporarily_unavailable') headers['Retry-After'] = String(RETRY_AFTER_SECONDS);
  const message = code === 'invalid_token' ? known.description || 'The token is invalid.' : MESSAGES[code];
  return { status: STATUS[code], headers: headers, body: JSON.stringify({ error: code, message: message }) };
}

export default {
  authError,
  isAuthError,
  missing,
  invalid,
  insufficientScope,
  unavailable,
  quote,
  challenge,
  response,
};
