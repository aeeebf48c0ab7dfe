/**
 * Starts the server: the configuration read once, ONE verifier for the process (the key set
 * is fetched when a token first needs it, so the app starts while the JWKS is down).
 */
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { ConfigError, createVerifier, readConfig, readPort } from './jwt/index.js';

/** Requests in flight get this long to finish after SIGTERM/SIGINT. */
const GRACE_MS = 10_000;

function configure() {
  try {
    return { config: readConfig(process.env), port: readPort(process.env, 3006) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`express-app: invalid configuration: ${error.message}`);
    process.exit(1);
  }
}

const { config, port } = configure();
// Express 5 calls the listen callback with the error when the port cannot be used.
const server = createApp(createVerifier(config)).listen(port, (error) => {
  if (error) {
    console.error(`express-app: cannot listen on PORT ${port}: ${(error as NodeJS.ErrnoException).code}`);
    process.exit(1);
  }
  const { port: bound } = server.address() as AddressInfo;
  console.log(`express-app listening on port ${bound}, accepting tokens from ${config.issuers.join(', ')}`);
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
