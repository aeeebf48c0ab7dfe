/**
 * Starts the server: configuration read once, ONE key store (and JWKS client) for the whole
 * process, no key fetch until a token needs one (the app starts while the JWKS is down).
 */
import { createApp } from './app.js';
import { createVerifier } from './auth.js';
import { loadConfig } from './config.js';
import { createKeyStore } from './keystore.js';

const config = loadConfig();
const keys = createKeyStore(config.jwksUri);
const app = createApp(createVerifier(config, keys));

const server = app.listen(config.port, () => {
  console.log(`koa-app listening on port ${config.port}, accepting tokens from ${config.issuer}`);
});
server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(`koa-app: cannot listen on PORT ${config.port}: ${error.code ?? error.message}`);
  process.exit(1);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
