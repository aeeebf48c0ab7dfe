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

/** Seconds a client should wait after a 503 (RFC 9110 §10.2.3). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * RFC 6750 §3: `Bearer realm="api"` plus auth-params. Values are quoted-strings (RFC 9110
 * §5.6.4): `"` and `\` are escaped. The only place a WWW-Authenticate value is built.
 */
export function bearerChallenge(params: Record<string, string> = {}): string {
  const quote = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return Object.entries({ realm: 'api', ...params }).reduce(
    (out, [name, value], i) => `${out}${i ? ', ' : ' '}${name}=${quote(value)}`,
    'Bearer',
  );
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
    return new AuthError(401, 'missing_token', 'A bearer token is required.', {
      'www-authenticate': bearerChallenge(),
    });
  }

  /** `description` is one of our fixed sentences; it becomes the body message too. */
  static invalidToken(description: string): AuthError {
    return new AuthError(401, 'invalid_token', description, {
      'www-authenticate': bearerChallenge({ error: 'invalid_token', error_description: description }),
    });
  }

  static insufficientScope(scope: string): AuthError {
    return new AuthError(403, 'insufficient_scope', `The token lacks the "${scope}" scope.`, {
      'www-authenticate': bearerChallenge({ error: 'insufficient_scope', scope }),
    });
  }

  /** The key is needed and the JWKS cannot be fetched: the token may be fine, so no challenge. */
  static unavailable(): AuthError {
    return new AuthError(
      503,
      'temporarily_unavailable',
      'The signing keys cannot be fetched right now; try again shortly.',
      {
        'retry-after': String(RETRY_AFTER_SECONDS),
      },
    );
  }

  static serverError(): AuthError {
    return new AuthError(500, 'server_error', 'Something went wrong on our side.');
  }

  /** An AuthError as it is; anything else is a bug, answered as a 500 that reveals nothing. */
  static from(error: unknown): AuthError {
    return error instanceof AuthError ? error : AuthError.serverError();
  }
}
