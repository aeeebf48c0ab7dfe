/**
 * Starts the server: the configuration read once, the app with its one verifier (the key set
 * is fetched when a token first needs it, so the app starts while the JWKS is down).
 */
import { createApp } from './app.js';
import { ConfigError, readConfig, readPort } from './jwt/index.js';

/** Requests in flight get this long to finish after SIGTERM/SIGINT. */
const GRACE_MS = 10_000;

function configure() {
  try {
    return { config: readConfig(process.env), port: readPort(process.env, 3007) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`fastify-app: invalid configuration: ${error.message}`);
    process.exit(1);
  }
}

const { config, port } = configure();
const app = await createApp(config, { logger: true });
try {
  await app.listen({
    port,
    host: '0.0.0.0',
    // One line per address it can be reached at (0.0.0.0: every interface).
    listenTextResolver: (address) =>
      `fastify-app listening at ${address}, accepting tokens from ${config.issuers.join(', ')}`,
  });
} catch (error) {
  console.error(`fastify-app: cannot listen on PORT ${port}: ${(error as NodeJS.ErrnoException).code}`);
  process.exit(1);
}

// close() stops taking connections, closes idle keep-alive ones and waits for the requests in
// flight (bounded). Busy connections close as soon as their answer is sent (keepAliveTimeout is
// read when a response ends) instead of holding the exit for Fastify's 72 s default.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.server.keepAliveTimeout = 1;
    setTimeout(() => process.exit(0), GRACE_MS).unref();
    app.close().then(() => process.exit(0));
  });
}
