import { createServer } from 'node:http';
import { getRequestListener, RequestError } from '@hono/node-server';
import { createApp } from './app.js';
import { createVerifier } from './jwt/index.js';
import { listening, readSettings } from './settings.js';

// Node.js entry (`pnpm start`). Settings come from the environment.
const settings = readSettings(process.env);
if ('error' in settings) {
  console.error(settings.error);
  process.exit(1);
}
const { config, port } = settings;
// ONE verifier per process: it holds the key set and the verified-token cache. Nothing is
// fetched yet, so the server starts even while the JWKS is down.
const app = createApp(createVerifier(config));

// @hono/node-server's listener; a request Node parsed but that is no valid URL (a bad Host,
// say) gets a JSON 400 instead of an empty one.
const listener = getRequestListener(app.fetch, {
  errorHandler: (error) =>
    error instanceof RequestError
      ? Response.json({ error: 'bad_request', message: 'The request could not be read.' }, { status: 400 })
      : Response.json(
          { error: 'server_error', message: 'Something went wrong on our side.' },
          { status: 500 },
        ),
});
const server = createServer(listener);
server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(`PORT ${port} cannot be used: ${error.code ?? error.name}.`);
  process.exit(1);
});
server.listen(port, () => {
  console.log(listening('node', (server.address() as { port: number }).port, config));
});

/** How long requests in flight may take to finish after SIGTERM before the process exits anyway. */
const DRAIN_MS = 10_000;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // Stop accepting; close() waits for the requests in flight. A keep-alive socket is closed as
    // soon as it is idle (its response sent), so no client's next request is cut half-way.
    server.close(() => process.exit(0));
    setInterval(() => server.closeIdleConnections(), 100).unref();
    setTimeout(() => process.exit(0), DRAIN_MS).unref();
  });
}
