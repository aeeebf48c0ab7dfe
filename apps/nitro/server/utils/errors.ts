/**
 * The one error type of the API. Every failure the client sees is an ApiError: its status, the
 * `error` code of the body, one human sentence, and the headers that go with it. The RFC 6750
 * challenge is built here and nowhere else.
 */

export type ErrorCode =
  | 'missing_token'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'temporarily_unavailable'
  | 'not_found'
  | 'method_not_allowed'
  | 'bad_request'
  | 'internal_error';

const REALM = 'api';

/** RFC 7230 §3.2.6 quoted-string: `"` and `\` are the two characters that must be escaped. */
function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** `Bearer realm="api", name="value", ...` (RFC 6750 §3). */
export function bearerChallenge(params: Record<string, string> = {}): string {
  const all = { realm: REALM, ...params };
  return `Bearer ${Object.entries(all)
    .map(([name, value]) => `${name}=${quoted(value)}`)
    .join(', ')}`;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  /** The response body, exactly `{"error","message"}`. */
  get body(): { error: ErrorCode; message: string } {
    return { error: this.code, message: this.message };
  }

  /** RFC 6750 §3.1: a request without credentials gets a bare challenge, no error attribute. */
  static missingToken(): ApiError {
    return new ApiError(401, 'missing_token', 'A bearer token is required.', {
      'www-authenticate': bearerChallenge(),
    });
  }

  /**
   * RFC 6750 §3.1 invalid_token. `description` is our own short sentence: never a library's
   * message and never anything taken from the token.
   */
  static invalidToken(description: string): ApiError {
    return new ApiError(401, 'invalid_token', description, {
      'www-authenticate': bearerChallenge({ error: 'invalid_token', error_description: description }),
    });
  }

  /** RFC 6750 §3.1 insufficient_scope, naming the scope that is needed. */
  static insufficientScope(scope: string): ApiError {
    return new ApiError(403, 'insufficient_scope', `The token does not grant the "${scope}" scope.`, {
      'www-authenticate': bearerChallenge({ error: 'insufficient_scope', scope }),
    });
  }

  /**
   * The keys could not be fetched: our problem, not the client's, so no challenge (the token
   * was not judged) and a Retry-After (RFC 9110 §10.2.3).
   */
  static unavailable(retryAfterSeconds: number): ApiError {
    return new ApiError(
      503,
      'temporarily_unavailable',
      'The signing keys cannot be fetched right now; try again shortly.',
      { 'retry-after': String(retryAfterSeconds) },
    );
  }

  static notFound(): ApiError {
    return new ApiError(404, 'not_found', 'No route matches this path.');
  }

  static methodNotAllowed(): ApiError {
    // RFC 9110 §15.5.6: a 405 lists the methods the route does answer; every route here is GET.
    return new ApiError(405, 'method_not_allowed', 'This route only answers GET.', { allow: 'GET' });
  }

  static badRequest(): ApiError {
    return new ApiError(400, 'bad_request', 'The request could not be understood.');
  }

  static internal(): ApiError {
    return new ApiError(500, 'internal_error', 'Something went wrong on our side.');
  }
}
