import Router from '@koa/router';
import jwt, { type JwtHeader } from 'jsonwebtoken';
import jwksClient from 'jwks-rsa';
import Koa from 'koa';
import { env } from './env.ts';

// The Koa reference page's code, made to run (ESM, our env): a cached JWKS client, then
// jsonwebtoken.verify handed the PEM string from getPublicKey() on every request, RS256 only.
const app = new Koa();
const router = new Router();

const client = jwksClient({ jwksUri: env.jwksUri, cache: true, cacheMaxAge: 600000 });

async function getKey(header: JwtHeader): Promise<string> {
  return new Promise((resolve, reject) => {
    client.getSigningKey(header.kid, (err, key) => {
      if (err || !key) return reject(err);
      resolve(key.getPublicKey());
    });
  });
}

async function validateJwt(ctx: Koa.Context, next: Koa.Next) {
  const token = ctx.headers.authorization?.replace('Bearer ', '');
  if (!token) {
    ctx.status = 401;
    ctx.body = { error: 'No token provided' };
    return;
  }
  try {
    const key = await getKey(jwt.decode(token, { complete: true })?.header as JwtHeader);
    ctx.state.user = jwt.verify(token, key, { issuer: env.issuer, algorithms: ['RS256'] });
  } catch {
    ctx.status = 401;
    ctx.body = { error: 'Invalid token' };
    return;
  }
  await next();
}

router.get('/health', (ctx) => {
  ctx.body = { status: 'ok' };
});
router.get('/protected', validateJwt, (ctx) => {
  ctx.body = { message: 'Access granted', user: ctx.state.user };
});

app.use(router.routes()).use(router.allowedMethods());
app.listen(env.port, '127.0.0.1');
