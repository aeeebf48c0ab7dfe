import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { JWTPayload } from 'jose';
import type { Verify } from './auth.js';
import { type AuthEnv, authorized } from './middleware.js';

/** The routes of shared/CONTRACT.md. `verify` is made once per process (src/index.ts). */
export function createApp(verify: Verify): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const granted = (c: Context<AuthEnv>, user: JWTPayload) => c.json({ message: 'Access granted', user });

  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/protected', authorized(verify, granted));
  app.get('/protected/admin', authorized(verify, granted, 'admin'));

  app.notFound((c) => c.json({ error: 'not_found', message: 'There is nothing at this path.' }, 404));
  app.onError((error, c) => {
    // Our refusals carry their whole response; anything else is a bug: logged, never shown.
    if (error instanceof HTTPException) return error.getResponse();
    console.error(`unexpected error on ${c.req.method} ${c.req.path}: ${error.name}`);
    return c.json({ error: 'server_error', message: 'Something went wrong on our side.' }, 500);
  });
  return app;
}
