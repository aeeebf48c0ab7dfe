/**
 * The one error type: every refusal (RFC 6750 §3.1), the JWKS outage and the unexpected carry
 * the response they need. Messages are ours, fixed sentences: never a library's, never the token.
 */
export type AuthErrorCode =
  | 'missing_token'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'temporarily_unavailable'
  | 'server_error';

/**
 * RFC 6750 §3: `Bearer realm="api"` plus auth-params, as quoted-strings (RFC 9110 §5.6.4) with
 * `"` and `\` escaped. The only place a WWW-Authenticate value is built.
 */
export function bearerChallenge(params: Record<string, string> = {}): string {
  const quote = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  const pairs = Object.entries({ realm: 'api', ...params }).map(([name, value]) => `${name}=${quote(value)}`);
  return `Bearer ${pairs.join(', ')}`;
}

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly body: { readonly error: AuthErrorCode; readonly message: string };

  private constructor(
    readonly status: 401 | 403 | 500 | 503,
    readonly code: AuthErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.body = Object.freeze({ error: code, message });
  }

  /** RFC 6750 §3.1: no credentials at all, so the challenge carries no error code. */
  static missingToken(): AuthError {
    const headers = { 'www-authenticate': bearerChallenge() };
    return new AuthError(401, 'missing_token', 'A bearer token is required.', headers);
  }

  /** `description` is one of our fixed sentences; it is the body's message too. */
  static invalidToken(description: string): AuthError {
    const headers = {
      'www-authenticate': bearerChallenge({ error: 'invalid_token', error_description: description }),
    };
    return new AuthError(401, 'invalid_token', description, headers);
  }

  static insufficientScope(scope: string): AuthError {
    const headers = { 'www-authenticate': bearerChallenge({ error: 'insufficient_scope', scope }) };
    return new AuthError(403, 'insufficient_scope', `The token lacks the "${scope}" scope.`, headers);
  }

  /** The key is needed and the JWKS cannot be fetched: the token may be fine, so no challenge (RFC 9110 §15.6.4). */
  static unavailable(): AuthError {
    const message = 'The signing keys cannot be fetched right now; try again shortly.';
    return new AuthError(503, 'temporarily_unavailable', message, { 'retry-after': '5' });
  }

  static serverError(): AuthError {
    return new AuthError(500, 'server_error', 'Something went wrong on our side.');
  }

  /** An AuthError as it is; anything else is a bug, answered as a 500 that reveals nothing. */
  static from(error: unknown): AuthError {
    return error instanceof AuthError ? error : AuthError.serverError();
  }
}
