/**
 * Starts the server: the configuration read once, ONE verifier for the process (the key set
 * is fetched when a token first needs it, so the app starts while the JWKS is down).
 */
import { createApp } from './app.js';
import { ConfigError, createVerifier, readConfig, readPort } from './jwt/index.js';

/** Requests in flight get this long to finish after SIGTERM/SIGINT. */
const GRACE_MS = 10_000;

function configure() {
  try {
    return { config: readConfig(process.env), port: readPort(process.env, 3001) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`koa-app: invalid configuration: ${error.message}`);
    process.exit(1);
  }
}

const { config, port } = configure();
const server = createApp(createVerifier(config)).listen(port, () => {
  console.log(`koa-app listening on port ${port}, accepting tokens from ${config.issuers.join(', ')}`);
});
server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(`koa-app: cannot listen on PORT ${port}: ${error.code ?? error.message}`);
  process.exit(1);
});

// Stop taking connections and let the requests in flight finish (bounded), then exit 0. Idle
// keep-alive connections close now; busy ones as soon as their answer is sent (keepAliveTimeout
// is read when a response ends), instead of holding the exit for the usual 5 s.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    server.keepAliveTimeout = 1;
    setTimeout(() => process.exit(0), GRACE_MS).unref();
  });
}
