/**
 * The one error type of the app. Every refusal (RFC 6750 §3) and the JWKS outage (503) is an
 * AuthError; the Hono glue turns it into an HTTPException carrying `toResponse()`.
 */
export type ErrorCode = 'missing_token' | 'invalid_token' | 'insufficient_scope' | 'temporarily_unavailable';

/** Seconds a client should wait before retrying after a 503 (RFC 9110 §10.2.3). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * RFC 6750 §3 challenge: `Bearer realm="api"` plus optional auth-params. Values are
 * quoted-strings (RFC 9110 §5.6.4), so `"` and `\` are escaped with a backslash. This is the
 * only place a WWW-Authenticate value is built.
 */
export function bearerChallenge(params: Record<string, string> = {}): string {
  const quote = (value: string) => `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
  const parts = Object.entries({ realm: 'api', ...params }).map(([name, value]) => `${name}=${quote(value)}`);
  return `Bearer ${parts.join(', ')}`;
}

export class AuthError extends Error {
  override readonly name = 'AuthError';

  private constructor(
    readonly status: 401 | 403 | 503,
    readonly code: ErrorCode,
    /** One human sentence for the body; never a library message, never the token. */
    message: string,
    readonly headers: Record<string, string>,
  ) {
    super(message);
  }

  /** RFC 6750 §3.1: no credentials at all, so the challenge carries no error code. */
  static missingToken(): AuthError {
    return new AuthError(401, 'missing_token', 'A bearer token is required.', {
      'www-authenticate': bearerChallenge(),
    });
  }

  /** RFC 6750 §3.1 invalid_token; `description` is a short fixed sentence chosen by us. */
  static invalidToken(description: string): AuthError {
    return new AuthError(401, 'invalid_token', description, {
      'www-authenticate': bearerChallenge({ error: 'invalid_token', error_description: description }),
    });
  }

  /** RFC 6750 §3.1 insufficient_scope: 403 naming the scope that is needed. */
  static insufficientScope(scope: string): AuthError {
    return new AuthError(403, 'insufficient_scope', `The token lacks the "${scope}" scope.`, {
      'www-authenticate': bearerChallenge({ error: 'insufficient_scope', scope }),
    });
  }

  /**
   * The key is needed, not cached, and the JWKS could not be fetched: the token may be fine,
   * so this is no challenge (not 401) but a 503 with Retry-After (RFC 9110 §15.6.4).
   */
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

  toResponse(): Response {
    return new Response(JSON.stringify({ error: this.code, message: this.message }), {
      status: this.status,
      headers: { 'content-type': 'application/json', ...this.headers },
    });
  }
}
