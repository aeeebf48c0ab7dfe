/**
 * The Fastify glue for the verifier core: a plugin, wrapped with fastify-plugin so that its
 * decorators reach the app that registers it. Routes opt in with onRequest hooks, which run
 * before the body is read: `{ onRequest: [app.authenticate, app.requireScope('admin')] }`.
 */
import type { FastifyPluginAsync, FastifyReply, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import {
  AuthError,
  type Claims,
  type Config,
  requireScope as checkScope,
  createVerifier,
} from './jwt/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified claims (frozen: a cached set is shared), set by `authenticate`. */
    claims: Claims | null;
  }
  interface FastifyInstance {
    /** Verifies the Authorization header (RFC 6750 §2.1; never the query or body) into request.claims. */
    authenticate: onRequestAsyncHookHandler;
    /** RFC 6750 §3.1: a valid token whose `scope` lacks `scope` gets 403 insufficient_scope. */
    requireScope(scope: string): onRequestAsyncHookHandler;
  }
}

/** The core's answer through the reply: status, WWW-Authenticate or Retry-After, JSON body. */
function refuse(reply: FastifyReply, error: unknown): FastifyReply {
  const answer = AuthError.from(error);
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

const auth: FastifyPluginAsync<{ config: Config }> = async (fastify, { config }) => {
  // ONE verifier per app (it holds the key set and the token cache); its JWKS lines go to
  // Fastify's logger. They name the JWKS URI and why the fetch failed, never a token.
  const verifier = createVerifier(config, { log: (line) => fastify.log.warn(line) });

  fastify.decorateRequest('claims', null);
  fastify.decorate('authenticate', async (request, reply) => {
    try {
      // Node joins a repeated header into one string (only set-cookie stays an array).
      request.claims = await verifier.verify(request.headers[verifier.header] as string | undefined);
    } catch (error) {
      return refuse(reply, error);
    }
  });
  fastify.decorate(
    'requireScope',
    (scope: string): onRequestAsyncHookHandler =>
      async (request, reply) => {
        try {
          if (!request.claims) throw new Error('requireScope runs after authenticate');
          checkScope(request.claims, scope);
        } catch (error) {
          return refuse(reply, error);
        }
      },
  );
};

export default fp(auth, { name: 'gateway-jwt-auth', fastify: '5.x' });
