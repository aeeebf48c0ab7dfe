/**
 * The Koa glue: routes, the auth middleware, and the one place errors become responses.
 *
 * Koa trap: an error that escapes the middleware chain goes to ctx.onerror, which removes
 * every header already set (WWW-Authenticate, Retry-After) and answers text/plain. So errors
 * are caught in `respond` below and answered directly with ctx.status / ctx.set / ctx.body.
 */
import Router, { type RouterMiddleware } from '@koa/router';
import Koa, { type Context, type Next } from 'koa';
import { type Claims, requireScope, type Verifier } from './auth.js';
import { ApiError, internalError, methodNotAllowed, notFound } from './errors.js';

export interface State {
  user?: Claims;
}

function send(ctx: Context, error: ApiError): void {
  ctx.status = error.status;
  ctx.set(error.headers);
  ctx.body = error.toJSON(); // an object: Koa answers application/json
}

/** First middleware: every error, and every unanswered 404/405, leaves as contract JSON. */
async function respond(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
    if (ctx.body == null && ctx.status === 404) send(ctx, notFound());
    if (ctx.body == null && ctx.status === 405) send(ctx, methodNotAllowed(ctx.response.get('Allow')));
    // allowedMethods answers OPTIONS with an empty text/plain 200: say "no content" instead.
    if (ctx.method === 'OPTIONS' && ctx.body === '') ctx.status = 204;
  } catch (error) {
    if (error instanceof ApiError) return send(ctx, error);
    // A bug, not the client's doing: log the name only (messages may quote input), answer 500.
    console.error(
      `koa-app: unexpected ${error instanceof Error ? error.name : typeof error} (${ctx.method})`,
    );
    send(ctx, internalError());
  }
}

/** Verifies the Authorization header (and only it) and puts the claims on ctx.state.user. */
const authenticate =
  (verifier: Verifier): RouterMiddleware<State> =>
  async (ctx, next) => {
    ctx.state.user = await verifier.verify(ctx.get('Authorization') || undefined);
    await next();
  };

/** RFC 6750 §3.1: a valid token without the scope is 403 insufficient_scope. */
const scope =
  (name: string): RouterMiddleware<State> =>
  async (ctx, next) => {
    requireScope(ctx.state.user ?? {}, name);
    await next();
  };

const granted: RouterMiddleware<State> = (ctx) => {
  ctx.body = { message: 'Access granted', user: ctx.state.user };
};

export function createApp(verifier: Verifier): Koa<State> {
  const app = new Koa<State>();
  const router = new Router<State>();

  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/protected', authenticate(verifier), granted);
  router.get('/protected/admin', authenticate(verifier), scope('admin'), granted);

  app.use(respond);
  app.use(router.routes());
  app.use(router.allowedMethods());
  // Anything Koa itself reports (a broken socket, say): one line, never a stack or a token.
  app.on('error', (error: unknown) => {
    console.error(`koa-app: ${error instanceof Error ? error.name : 'error'} while responding`);
  });
  return app;
}
