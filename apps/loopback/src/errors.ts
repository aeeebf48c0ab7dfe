/**
 * The one error type of the verifier, and the RFC 6750 challenge builder.
 * Framework-free: the LoopBack glue (src/providers/reject.provider.ts) only copies
 * `status`, `headers` and `body()` onto the response.
 */

export type AuthErrorCode =
  | 'missing_token'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'temporarily_unavailable';

/** The protection space of every challenge (RFC 6750 §3). */
export const REALM = 'api';

/** Seconds a client should wait after a 503 before retrying (RFC 9110 §10.2.3). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * RFC 7230 §3.2.6 quoted-string: `"` and `\` must be escaped with a backslash. Control
 * characters are not allowed in header values at all, so they become spaces.
 */
function quote(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const safe = value.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/["\\]/g, '\\$&');
  return `"${safe}"`;
}

/**
 * `WWW-Authenticate: Bearer realm="api"[, name="value"]...` (RFC 6750 §3). The ONE place a
 * challenge is written, so every attribute is escaped the same way.
 */
export function bearerChallenge(params: Record<string, string> = {}): string {
  const attributes = [['realm', REALM], ...Object.entries(params)].map(
    ([name, value]) => `${name}=${quote(value ?? '')}`,
  );
  return `Bearer ${attributes.join(', ')}`;
}

/**
 * Every refusal the API makes about credentials. `message` is one human sentence that is safe to
 * show: it never contains the token, a key or a library's error text.
 */
export class AuthError extends Error {
  override readonly name = 'AuthError';

  private constructor(
    readonly status: number,
    readonly code: AuthErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>>,
  ) {
    super(message);
  }

  /** The JSON body of the contract: exactly `{"error","message"}`. */
  body(): { error: AuthErrorCode; message: string } {
    return { error: this.code, message: this.message };
  }

  /**
   * No credentials at all (RFC 6750 §3.1: "the resource server SHOULD NOT include an error code
   * or other error information" when the request lacks any authentication information).
   */
  static missingToken(): AuthError {
    return new AuthError(401, 'missing_token', 'A bearer token is required.', {
      'WWW-Authenticate': bearerChallenge(),
    });
  }

  /** RFC 6750 §3.1 invalid_token; `description` is a short, fixed sentence chosen by the caller. */
  static invalidToken(description: string): AuthError {
    return new AuthError(401, 'invalid_token', description, {
      'WWW-Authenticate': bearerChallenge({ error: 'invalid_token', error_description: description }),
    });
  }

  /** RFC 6750 §3.1 insufficient_scope, naming the scope the route needs. */
  static insufficientScope(scope: string): AuthError {
    return new AuthError(403, 'insufficient_scope', `This route needs the "${scope}" scope.`, {
      'WWW-Authenticate': bearerChallenge({ error: 'insufficient_scope', scope }),
    });
  }

  /**
   * The key is needed but the JWKS could not be fetched and is not cached. Not the client's fault,
   * so no challenge: a 503 with Retry-After (RFC 9110 §15.6.4).
   */
  static unavailable(): AuthError {
    return new AuthError(
      503,
      'temporarily_unavailable',
      'The signing keys cannot be fetched right now; try again shortly.',
      {
        'Retry-After': String(RETRY_AFTER_SECONDS),
      },
    );
  }
}
