// fastify + @fastify/jwt + get-jwks as @fastify/jwt's README ("Verifying with JWKS") shows:
// the key is looked up by the token's kid, alg and iss with get-jwks' default options, and the
// `verify` defaults take the issuer, audience and algorithms (ALLOWED_ISS, ALLOWED_AUD,
// ALGORITHMS, comma-separated). A reference for the conformance suite, deliberately not hardened.
import fjwt from '@fastify/jwt';
import Fastify from 'fastify';
import buildGetJwks from 'get-jwks';

const list = (value) => value?.split(',').map((item) => item.trim());

const fastify = Fastify();
const getJwks = buildGetJwks();

fastify.register(fjwt, {
  decode: { complete: true },
  secret: (_request, token) => {
    const {
      header: { kid, alg },
      payload: { iss },
    } = token;
    return getJwks.getPublicKey({ kid, domain: iss, alg });
  },
  verify: {
    allowedIss: process.env.ALLOWED_ISS,
    allowedAud: list(process.env.ALLOWED_AUD),
    algorithms: list(process.env.ALGORITHMS),
  },
});

fastify.get('/health', async () => ({ status: 'ok' }));

fastify.register(async (protectedRoutes) => {
  protectedRoutes.addHook('onRequest', async (request, reply) => {
    try {
      await request.jwtVerify();
    } catch (err) {
      reply.send(err);
    }
  });
  protectedRoutes.get('/protected', async (request) => ({ message: 'Access granted', user: request.user }));
});

await fastify.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
