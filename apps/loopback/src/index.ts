/**
 * `node dist/index.js`: configuration from the environment (one line and exit 1 on a mistake),
 * then the application; SIGTERM lets the requests in flight finish and exits 0.
 */
import { JwtApiApplication } from './application.js';
import { type Config, ConfigError, readConfig, readPort } from './jwt/index.js';

function configOrExit(): { jwt: Config; port: number } {
  try {
    return { jwt: readConfig(process.env), port: readPort(process.env, 3004) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const { jwt, port } = configOrExit();
  const app = new JwtApiApplication({ jwt, rest: { port } });
  await app.start();
  // app.stop() closes the listener at once, ends idle keep-alive connections, lets requests in
  // flight finish, and cuts what is left after GRACE_PERIOD_MS (src/application.ts).
  const stop = () =>
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop());
  const audience = jwt.audience?.join(', ') ?? '(not checked)';
  console.log(
    `loopback listening on port ${app.restServer.httpServer?.port}; issuer ${jwt.issuers.join(', ')}; ` +
      `algorithms ${jwt.algorithms.join(',')}; audience ${audience}`,
  );
}

main().catch((error: unknown) => {
  // Start-up failed after the configuration was accepted (the port is taken, say): one line.
  console.error(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
