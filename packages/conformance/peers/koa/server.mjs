// koa + koa-jwt + jwks-rsa as koa-jwt's README shows ("to support JWKS"): koaJwtSecret with a
// cache of 5 keys for 10 hours, and the audience and issuer checked by jsonwebtoken. Settings
// come from JWKS_URI, AUDIENCE (comma-separated) and ISSUER, the names jwks-rsa's Koa example
// reads; JWKS_URI defaults to the issuer's /.well-known/jwks.json. koa-jwt answers its errors through Koa's
// default error handling. A reference for the conformance suite, deliberately not hardened.
import Router from '@koa/router';
import { koaJwtSecret } from 'jwks-rsa';
import Koa from 'koa';
import jwt from 'koa-jwt';

const { ISSUER } = process.env;
const AUDIENCE = process.env.AUDIENCE?.split(',').map((aud) => aud.trim());
const JWKS_URI = process.env.JWKS_URI || `${ISSUER}/.well-known/jwks.json`;

const app = new Koa();
const router = new Router();

router.get('/health', (ctx) => {
  ctx.body = { status: 'ok' };
});

router.get('/protected', (ctx) => {
  ctx.body = { message: 'Access granted', user: ctx.state.user };
});

app.use(
  jwt({
    secret: koaJwtSecret({
      jwksUri: JWKS_URI,
      cache: true,
      cacheMaxEntries: 5,
      cacheMaxAge: 10 * 60 * 60 * 1000, // ms('10h') in the README
    }),
    audience: AUDIENCE,
    issuer: ISSUER,
  }).unless({ path: ['/health'] }),
);
app.use(router.routes());

app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
