/**
 * The one error type of the app, and the one place where RFC 6750 challenges are written.
 * Every refusal is an ApiError; the Koa glue turns it into a response without ever
 * rethrowing it (Koa's default error handler would drop these headers: see app.ts).
 */

export type ErrorCode =
  | 'missing_token'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'temporarily_unavailable'
  | 'not_found'
  | 'method_not_allowed'
  | 'internal_error';

/** RFC 7230 §3.2.6 quoted-string: a backslash escapes `"` and `\`. */
function quote(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * RFC 6750 §3: `Bearer realm="api"` followed by the given auth-params. Without an `error`
 * param (no credentials at all, §3.1) the challenge carries no error information.
 */
export function bearerChallenge(params: Record<string, string> = {}): string {
  return ['Bearer realm="api"', ...Object.entries(params).map(([k, v]) => `${k}=${quote(v)}`)].join(', ');
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  /** The response body: `{"error": code, "message": one sentence}`; never internal details. */
  toJSON(): { error: ErrorCode; message: string } {
    return { error: this.code, message: this.message };
  }
}

/** RFC 6750 §3.1: no credentials (or not Bearer ones): a bare challenge, no error code. */
export const missingToken = () =>
  new ApiError(401, 'missing_token', 'A bearer token is required.', {
    'WWW-Authenticate': bearerChallenge(),
  });

/** RFC 6750 §3.1 invalid_token; `description` is ours, short, and never a library message. */
export const invalidToken = (description: string) =>
  new ApiError(401, 'invalid_token', 'The bearer token is not valid.', {
    'WWW-Authenticate': bearerChallenge({ error: 'invalid_token', error_description: description }),
  });

/** RFC 6750 §3.1 insufficient_scope, naming the scope needed. */
export const insufficientScope = (scope: string) =>
  new ApiError(403, 'insufficient_scope', `The token lacks the "${scope}" scope.`, {
    'WWW-Authenticate': bearerChallenge({ error: 'insufficient_scope', scope }),
  });

/**
 * The key is needed, not cached, and the JWKS could not be fetched: not the client's fault,
 * so 503 with Retry-After (RFC 9110 §10.2.3) and no challenge.
 */
export const temporarilyUnavailable = (retryAfterSeconds: number) =>
  new ApiError(
    503,
    'temporarily_unavailable',
    'The signing keys cannot be fetched right now; try again shortly.',
    {
      'Retry-After': String(retryAfterSeconds),
    },
  );

export const notFound = () => new ApiError(404, 'not_found', 'There is nothing at this path.');

export const methodNotAllowed = (allow: string) =>
  new ApiError(405, 'method_not_allowed', 'This method is not allowed on this path.', { Allow: allow });

export const internalError = () => new ApiError(500, 'internal_error', 'Something went wrong on our side.');
