import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { AuthError, type Claims, requireScope as checkScope, type Verifier } from './jwt/index.js';

/** Routes behind `requireAuth` read the verified claims, typed, with `c.get('claims')`. */
export type AuthEnv = { Variables: { claims: Claims } };

/** Verifies the `Authorization: Bearer` header (RFC 6750 §2.1) and puts the claims on the context. */
export function requireAuth(verifier: Verifier) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const context = { waitUntil: (refresh: Promise<unknown>) => background(c, refresh) };
    c.set('claims', await verifier.verify(c.req.header(verifier.header), context).catch(refuse));
    await next();
  });
}

/** 403 insufficient_scope (RFC 6750 §3.1) unless the verified `scope` claim holds `scope`. */
export function requireScope(scope: string) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    try {
      checkScope(c.get('claims'), scope);
    } catch (error) {
      refuse(error);
    }
    await next();
  });
}

/**
 * Hono's way to stop a request: an HTTPException carrying the whole answer (status,
 * WWW-Authenticate or Retry-After, JSON body). Hono's own error handler returns it as it is,
 * so the middleware answers correctly in any Hono app, with or without an onError of its own.
 */
function refuse(error: unknown): never {
  const answer = AuthError.from(error);
  const res = Response.json(answer.body, { status: answer.status, headers: answer.headers });
  throw new HTTPException(answer.status, { res, cause: error });
}

/**
 * The background JWKS refresh outlives the request that started it: Workers would cancel it
 * with the request unless it is handed to ctx.waitUntil. Node, Bun and Deno have no
 * ExecutionContext (Hono's getter throws there) and simply let the promise run.
 */
function background(c: Context, refresh: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(refresh);
  } catch {
    // not on Workers: nothing to extend
  }
}
