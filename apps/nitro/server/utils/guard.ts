/**
 * The h3 glue: two onRequest hooks that a route lists itself, so no path pattern in a global
 * middleware can drift away from the route table:
 *   defineEventHandler({ onRequest: [authenticate, authorize('admin')], handler })
 */
import { createError, getRequestHeader, type H3Event, setResponseHeaders } from 'h3';
import { AuthError, type Claims, ConfigError, requireScope } from '../jwt/index.js';
import { useVerifier } from './verifier';

declare module 'h3' {
  interface H3EventContext {
    /** The verified JWT claims (frozen), set by `authenticate`. */
    auth?: Claims;
  }
}

/**
 * An AuthError as an h3 error. Its headers (WWW-Authenticate, Retry-After) are set here, before
 * the throw: h3 v1 keeps them on the response. server/error.ts answers with status and body.
 */
function fail(event: H3Event, error: unknown): Error {
  // Only on Workers can the configuration be wrong this late (see utils/verifier.ts): say why.
  if (error instanceof ConfigError) console.error(error.message);
  else if (!(error instanceof AuthError)) console.error('[auth] unexpected error', error);
  const answer = AuthError.from(error);
  setResponseHeaders(event, answer.headers);
  return createError({ statusCode: answer.status, data: answer.body, cause: answer });
}

/** Verifies the token (Authorization: Bearer unless JWT_HEADER says) and puts its claims on `event.context.auth`. */
export async function authenticate(event: H3Event): Promise<void> {
  try {
    // waitUntil: on Workers, the background JWKS refresh outlives the response only through it.
    const verifier = useVerifier();
    event.context.auth = await verifier.verify(getRequestHeader(event, verifier.header), {
      waitUntil: (promise) => event.waitUntil?.(promise),
    });
  } catch (error) {
    throw fail(event, error);
  }
}

/** After `authenticate`: the token's `scope` must contain `scope` (RFC 6749 §3.3), else 403. */
export function authorize(scope: string) {
  return (event: H3Event): void => {
    try {
      requireScope(event.context.auth ?? {}, scope);
    } catch (error) {
      throw fail(event, error);
    }
  };
}
