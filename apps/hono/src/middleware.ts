import type { Context, Handler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { JWTPayload } from 'jose';
import { hasScope, type Verify } from './auth.js';
import { AuthError } from './errors.js';

/** Handlers behind `requireAuth` read the verified claims with `c.get('claims')`, typed. */
export type AuthEnv = { Variables: { claims: JWTPayload } };

/** Hono's way to stop a request: an HTTPException carrying the full RFC 6750 response. */
function reject(error: unknown): never {
  throw error instanceof AuthError
    ? new HTTPException(error.status, { res: error.toResponse(), cause: error })
    : error;
}

/** 403 insufficient_scope (RFC 6750 §3.1) unless the verified `scope` has `scope`. */
function checkScope(claims: JWTPayload, scope: string | undefined): JWTPayload {
  if (scope !== undefined && !hasScope(claims, scope)) reject(AuthError.insufficientScope(scope));
  return claims;
}

/**
 * The route handler the app uses: verify (then the scope, from the verified or cached claims),
 * then `respond`. One handler per route, so Hono calls it directly instead of composing a
 * middleware chain, and a cached token is answered without a promise (both measured: ~2 µs a
 * request). c.req.header() is how Hono reads a header (the page's c.req.headers is undefined).
 */
export function authorized<E extends AuthEnv>(
  verify: Verify,
  respond: (c: Context<E>, claims: JWTPayload) => Response,
  scope?: string,
): Handler<E> {
  return (c) => {
    let result: JWTPayload | Promise<JWTPayload>;
    try {
      result = verify(c.req.header('authorization'));
    } catch (error) {
      return reject(error);
    }
    if (result instanceof Promise)
      return result.then((claims) => respond(c, checkScope(claims, scope)), reject);
    return respond(c, checkScope(result, scope));
  };
}

/** The same check as middleware, for routes composed the usual Hono way. */
export function requireAuth(verify: Verify) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    let claims: JWTPayload;
    try {
      claims = await verify(c.req.header('authorization'));
    } catch (error) {
      reject(error);
    }
    c.set('claims', claims);
    await next();
  });
}

/** 403 insufficient_scope (RFC 6750 §3.1) unless the verified `scope` has `scope`. */
export function requireScope(scope: string) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    checkScope(c.get('claims'), scope);
    await next();
  });
}
