import type { ExecutionContext } from 'hono';
import { createApp } from './app.js';
import { AuthError, createVerifier } from './jwt/index.js';
import { readSettings } from './settings.js';

// Cloudflare Workers entry (`pnpm start:workers` runs it in workerd; `wrangler deploy` ships it).
// Settings are the Worker's bindings: `[vars]` in wrangler.toml, or workerd.capnp locally, where
// a binding read from an unset variable is null (the config reader wants undefined).
type Bindings = Record<string, string | null | undefined>;
type Handler = (request: Request, bindings: Bindings, ctx: ExecutionContext) => Response | Promise<Response>;

// ONE app and verifier per isolate, made on its first request (the bindings arrive with it).
// Each isolate has its own key set: see the README for what that means for JWKS fetches.
let handle: Handler | undefined;

function build(bindings: Bindings): Handler {
  const env = Object.fromEntries(Object.entries(bindings).map(([name, value]) => [name, value ?? undefined]));
  const settings = readSettings(env);
  if ('error' in settings) {
    // A Worker cannot refuse to start: it logs the line and answers every request with a 500.
    console.error(settings.error);
    const failed = AuthError.serverError();
    return () => Response.json(failed.body, { status: failed.status });
  }
  const app = createApp(createVerifier(settings.config));
  return (request, bindings, ctx) => app.fetch(request, bindings, ctx);
}

export default {
  fetch(request: Request, bindings: Bindings, ctx: ExecutionContext): Response | Promise<Response> {
    handle ??= build(bindings);
    return handle(request, bindings, ctx);
  },
};
