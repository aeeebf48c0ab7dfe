import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { JWTPayload } from 'jose';
import { hasScope, type Verify } from './auth.js';
import { AuthError } from './errors.js';

/** Handlers behind `requireAuth` read the verified claims with `c.get('claims')`, typed. */
export type AuthEnv = { Variables: { claims: JWTPayload } };

/** Hono's way to stop a request: an HTTPException carrying the full RFC 6750 response. */
function reject(error: AuthError): HTTPException {
  return new HTTPException(error.status, { res: error.toResponse(), cause: error });
}

/** Verifies the bearer token, or answers 401/503 without calling the route. */
export function requireAuth(verify: Verify) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    let claims: JWTPayload;
    try {
      // c.req.header() is how Hono reads a request header (the page's c.req.headers is undefined).
      // A cached token comes back as the claims themselves: no await, no extra microtask.
      const result = verify(c.req.header('authorization'));
      claims = result instanceof Promise ? await result : result;
    } catch (error) {
      throw error instanceof AuthError ? reject(error) : error;
    }
    c.set('claims', claims);
    await next();
  });
}

/** 403 insufficient_scope (RFC 6750 §3.1) unless the verified `scope` has `scope`. */
export function requireScope(scope: string) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    if (!hasScope(c.get('claims'), scope)) throw reject(AuthError.insufficientScope(scope));
    await next();
  });
}
