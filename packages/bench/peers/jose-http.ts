import { createServer } from 'node:http';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { env } from './env.ts';

/**
 * The yardstick, not a peer to copy: jose's own jwtVerify in a bare node:http server with
 * nothing around it (no framework, no verified-token cache, no JWKS lifecycle, the key set
 * fetched once at start). Its distinct-token `auth µs` is what jose itself costs on a busy
 * server core; the bench compares each Node app's with it, measured in the same run.
 */
const keys = createLocalJWKSet((await (await fetch(env.jwksUri)).json()) as JSONWebKeySet);
const checks = { issuer: env.issuer, algorithms: env.algorithms, requiredClaims: ['exp'] };

function answer(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

createServer((req, res) => {
  if (req.url === '/health') return answer(res, 200, { status: 'ok' });
  const token = req.headers.authorization?.slice('Bearer '.length) ?? '';
  jwtVerify(token, keys, checks).then(
    ({ payload }) => answer(res, 200, { message: 'Access granted', user: payload }),
    () => answer(res, 401, { error: 'invalid_token', message: 'The token could not be verified.' }),
  );
}).listen(env.port, '127.0.0.1');
