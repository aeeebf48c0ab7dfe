import { serve } from '@hono/node-server';
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

const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
  console.log(
    `hono listening on port ${info.port}; issuer ${config.issuer}; algorithms ${config.algorithms.join(',')}`,
  );
});
server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(`PORT ${config.port} cannot be used: ${error.code ?? error.name}.`);
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref(); // do not wait on idle keep-alive clients
  });
}
