import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { jwk } from 'hono/jwk';
import type { AsymmetricAlgorithm } from 'hono/utils/jwt/jwa';
import { env } from './env.ts';

// Hono's built-in JWK middleware configured the way its docs show: a jwks_uri and the allowed algs.
// It fetches the JWKS on every request (it keeps no cache) and imports the key with WebCrypto each time.
const app = new Hono();

app.get('/health', (c) => c.json({ status: 'ok' }));

app.use(
  '/protected/*',
  jwk({
    jwks_uri: env.jwksUri,
    alg: env.algorithms as AsymmetricAlgorithm[],
    verification: { iss: env.issuer },
  }),
);

app.get('/protected', (c) => c.json({ message: 'Access granted', user: c.get('jwtPayload') }));

serve({ fetch: app.fetch, port: env.port, hostname: '127.0.0.1' });
