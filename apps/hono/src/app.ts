import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type AuthEnv, requireAuth, requireScope } from './auth.js';
import { AuthError, type Verifier } from './jwt/index.js';

/** The contract's routes. Make the verifier once per process or isolate (the entry files). */
export function createApp(verifier: Verifier): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const auth = requireAuth(verifier);

  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/protected', auth, (c) => c.json({ message: 'Access granted', user: c.get('claims') }));
  app.get('/protected/admin', auth, requireScope('admin'), (c) =>
    c.json({ message: 'Access granted', user: c.get('claims') }),
  );

  app.notFound((c) => c.json({ error: 'not_found', message: 'There is nothing at this path.' }, 404));
  app.onError((error, c) => {
    // A refusal carries its whole answer (src/auth.ts). Anything else is a bug: server_error,
    // logged by name only; its message never reaches the client.
    if (error instanceof HTTPException) return error.getResponse();
    console.error(`unexpected ${error.name} on ${c.req.method} ${c.req.path}`);
    const failed = AuthError.serverError();
    return c.json(failed.body, failed.status, failed.headers);
  });
  return app;
}
