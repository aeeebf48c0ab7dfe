import Router from '@koa/router';
import { koaJwtSecret } from 'jwks-rsa';
import Koa from 'koa';
import jwt from 'koa-jwt';
import { env } from './env.ts';

// koa-jwt with jwks-rsa's koaJwtSecret, as koa-jwt's README shows: jwks-rsa caches the keys and
// hands jsonwebtoken a PEM string, which jsonwebtoken parses into a key on every request.
const app = new Koa();
const router = new Router();

app.use(
  jwt({
    secret: koaJwtSecret({
      jwksUri: env.jwksUri,
      cache: true,
      cacheMaxEntries: 5,
      cacheMaxAge: 10 * 60 * 60 * 1000,
    }),
    issuer: env.issuer,
    algorithms: env.algorithms,
  }).unless({ path: ['/health'] }),
);

router.get('/health', (ctx) => {
  ctx.body = { status: 'ok' };
});
router.get('/protected', (ctx) => {
  ctx.body = { message: 'Access granted', user: ctx.state.user };
});

app.use(router.routes()).use(router.allowedMethods());
app.listen(env.port, '127.0.0.1');
