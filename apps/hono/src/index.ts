import { createServer } from 'node:http';
import { getRequestListener, RequestError } from '@hono/node-server';
import { createApp } from './app.js';
import { createVerifier } from './auth.js';
import { type Config, ConfigError, checkRuntimeSupport, loadConfig } from './config.js';
import { KeyStore } from './keystore.js';

/** A bad configuration is one line naming the variable and exit 1, never a stack trace. */
async function configure(): Promise<Config> {
  try {
    const config = loadConfig();
    await checkRuntimeSupport(config);
    return config;
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : 'The configuration could not be read.');
    process.exit(1);
  }
}

const config = await configure();
// ONE key store per process; it fetches on first need, so start-up never waits for the JWKS.
const keys = new KeyStore({ uri: config.jwksUri, algorithms: config.algorithms });
const app = createApp(createVerifier(config, keys));

// @hono/node-server's `serve()` with one change: a request Node parsed but that is no valid URL
// (missing or bad Host, say) gets a JSON 400 instead of an empty one.
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
  console.error(`PORT ${config.port} cannot be used: ${error.code ?? error.name}.`);
  process.exit(1);
});
server.listen(config.port, () => {
  const { port } = server.address() as { port: number };
  console.log(
    `hono listening on port ${port}; issuer ${config.issuer}; algorithms ${config.algorithms.join(',')}`,
  );
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref(); // do not wait on idle keep-alive clients
  });
}
