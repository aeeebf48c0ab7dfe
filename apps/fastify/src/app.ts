/** The contract's routes on Fastify 5; the auth plugin is in auth.ts. */
import { STATUS_CODES } from 'node:http';
import Fastify, {
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import auth from './auth.js';
import { AuthError, type Config } from './jwt/index.js';

/** Fastify's own 4xx (bad JSON, bad URL, body too large…) in the contract's shape; its message may quote input. */
function clientError(reply: FastifyReply, status: number): FastifyReply {
  const error = STATUS_CODES[status]?.toLowerCase().replaceAll(' ', '_') ?? 'bad_request';
  return reply.code(status).send({ error, message: 'The request could not be read.' });
}

export async function createApp(config: Config, options: FastifyServerOptions = {}) {
  const app = Fastify({
    // No request log lines: a URL may carry a token (?access_token=…), and no token is ever logged.
    logController: new LogController({ disableRequestLogging: true }),
    // After close() a request on an open keep-alive connection is still answered, not 503.
    return503OnClosing: false,
    frameworkErrors: (error, _request, reply) => clientError(reply, error.statusCode ?? 400),
    ...options,
  });
  await app.register(auth, { config });

  const granted = async (request: FastifyRequest) => ({ message: 'Access granted', user: request.claims });
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/protected', { onRequest: app.authenticate }, granted);
  app.get('/protected/admin', { onRequest: [app.authenticate, app.requireScope('admin')] }, granted);

  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send({ error: 'not_found', message: 'There is nothing at this path.' }),
  );
  app.setErrorHandler((error: { statusCode?: number; name?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return clientError(reply, status);
    // A bug, not the client's doing: its name only (a message may quote input), then a bare 500.
    request.log.error(`unexpected ${error.name ?? typeof error}`);
    return reply.code(500).send(AuthError.serverError().body);
  });
  return app;
}
