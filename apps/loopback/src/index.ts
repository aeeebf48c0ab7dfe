/**
 * `node dist/index.js`: configuration from the environment (one line and exit 1 on a mistake),
 * then the application; SIGTERM lets the requests in flight finish and exits 0.
 */
import { JwtApiApplication } from './application.js';
import { ConfigError, readConfig, readPort } from './jwt/index.js';

async function main(): Promise<void> {
  const jwt = readConfig(process.env);
  const app = new JwtApiApplication({ jwt, rest: { port: readPort(process.env, 3004) } });
  await app.start();
  // app.stop() closes the listener at once, ends idle keep-alive connections, lets requests in
  // flight finish, and cuts what is left after the grace period (src/application.ts); then exit 0.
  // A failed stop is an unhandled rejection: Node prints it and exits 1.
  const stop = () => app.stop().then(() => process.exit(0));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, stop);
  const port = app.restServer.httpServer?.port;
  console.log(`loopback-app listening on port ${port}, accepting tokens from ${jwt.issuers.join(', ')}`);
}

main().catch((error: unknown) => {
  // One line: a ConfigError names the variable; else why start-up failed (the port taken, say).
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
