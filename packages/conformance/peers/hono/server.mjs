// hono + hono/jwk as Hono's JWK middleware page shows, on Node through @hono/node-server:
// `jwk({ jwks_uri, alg, verification: { iss, aud } })` on the protected paths. Settings come
// from JWKS_URI, ISSUER, AUDIENCE and ALG (comma-separated); JWKS_URI defaults to the issuer's
// /.well-known/jwks.json. A reference for the conformance suite, deliberately not hardened.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { jwk } from 'hono/jwk';

const { ISSUER, AUDIENCE } = process.env;
const list = (value) => value?.split(',').map((item) => item.trim());

const app = new Hono();

app.get('/health', (c) => c.json({ status: 'ok' }));

app.use(
  '/protected/*',
  jwk({
    jwks_uri: process.env.JWKS_URI || `${ISSUER}/.well-known/jwks.json`,
    alg: list(process.env.ALG) ?? ['RS256'],
    verification: { iss: ISSUER, aud: list(AUDIENCE) },
  }),
);

app.get('/protected', (c) => c.json({ message: 'Access granted', user: c.get('jwtPayload') }));

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: '127.0.0.1' });
