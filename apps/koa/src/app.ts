/**
 * The Koa glue: the routes, the auth middleware, and the one place errors become answers.
 * Koa trap: an error left to ctx.onerror loses every header set before it (the challenge,
 * Retry-After) and goes out as text/plain, so the first middleware answers errors itself.
 */
import Router, { type RouterMiddleware } from '@koa/router';
import Koa, { type Context, type Next } from 'koa';
import { AuthError, type Claims, requireScope, type Verifier } from './jwt/index.js';

export interface State {
  user: Claims;
}

async function answerErrors(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
    // Koa leaves an unknown route (404) and allowedMethods' 405 without a body: answer in JSON.
    if (ctx.body == null && (ctx.status === 404 || ctx.status === 405)) {
      const status = ctx.status;
      ctx.body = { error: status === 404 ? 'not_found' : 'method_not_allowed', message: 'Nothing here.' };
      ctx.status = status;
    }
  } catch (error) {
    const answer = AuthError.from(error);
    // A bug, not the client's doing: its name only (a message may quote input), then a bare 500.
    if (answer !== error)
      console.error(`koa-app: unexpected ${error instanceof Error ? error.name : typeof error}`);
    ctx.status = answer.status;
    ctx.set(answer.headers);
    ctx.body = answer.body;
  }
}

/** Verifies the Authorization header (never the query or body); the claims go on ctx.state.user. */
export const authenticate =
  (verifier: Verifier): RouterMiddleware<State> =>
  async (ctx, next) => {
    ctx.state.user = await verifier.verify(ctx.get(verifier.header));
    await next();
  };

/** RFC 6750 §3.1: a valid token without the scope gets 403 insufficient_scope. */
export const scope =
  (name: string): RouterMiddleware<State> =>
  (ctx, next) => {
    requireScope(ctx.state.user, name);
    return next();
  };

const granted: RouterMiddleware<State> = (ctx) => {
  ctx.body = { message: 'Access granted', user: ctx.state.user };
};

export function createApp(verifier: Verifier): Koa<State> {
  const router = new Router<State>();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/protected', authenticate(verifier), granted);
  router.get('/protected/admin', authenticate(verifier), scope('admin'), granted);

  const app = new Koa<State>();
  app.use(answerErrors);
  app.use(router.routes());
  app.use(router.allowedMethods());
  // What Koa itself reports (a client that hung up mid-answer): one line, never a stack or a token.
  app.on('error', (error: unknown) => {
    console.error(`koa-app: ${error instanceof Error ? error.name : 'error'} while answering`);
  });
  return app;
}
