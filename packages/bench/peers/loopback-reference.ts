import { HttpErrors, RestApplication } from '@loopback/rest';
import jwt, { type GetPublicKeyOrSecret } from 'jsonwebtoken';
import jwksRsa from 'jwks-rsa';
import { env } from './env.ts';

// The LoopBack reference page's strategy, made to run: it builds a new JWKS client (with a new,
// empty cache) inside authenticate(), so every request fetches the JWKS. Wired as a handler route
// (no decorators, so tsx can run it) instead of through @loopback/authentication.
async function authenticate(authorization: string | undefined): Promise<unknown> {
  if (!authorization?.startsWith('Bearer '))
    throw new HttpErrors.Unauthorized('Authorization header is missing');
  const token = authorization.split(' ')[1] as string;
  const client = jwksRsa({ jwksUri: env.jwksUri, cache: true, cacheMaxAge: 600000 });
  const getKey: GetPublicKeyOrSecret = (header, callback) => {
    client.getSigningKey(header.kid, (err, key) =>
      err || !key ? callback(err ?? new Error('no key')) : callback(null, key.getPublicKey()),
    );
  };
  return new Promise((resolve, reject) => {
    jwt.verify(token, getKey, { issuer: env.issuer, algorithms: ['RS256'] }, (err, decoded) =>
      err ? reject(new HttpErrors.Unauthorized('Invalid token')) : resolve(decoded),
    );
  });
}

const app = new RestApplication({
  rest: { port: env.port, host: '127.0.0.1', openApiSpec: { disabled: true } },
});
const ok = { '200': { description: 'ok' } };

app.route('get', '/health', { responses: ok }, () => ({ status: 'ok' }));
app.route(
  'get',
  '/protected',
  { parameters: [{ name: 'authorization', in: 'header', schema: { type: 'string' } }], responses: ok },
  async (authorization: string | undefined) => ({
    message: 'Access granted',
    user: await authenticate(authorization),
  }),
);

await app.start();
