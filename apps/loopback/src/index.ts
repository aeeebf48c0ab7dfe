/**
 * Entry point: `node dist/index.js`. The configuration is checked BEFORE LoopBack is even
 * loaded, so a mistake costs one line on stderr and exit code 1, never a stack trace.
 */
import { type Config, ConfigError, loadConfig } from './config';

function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const { JwtApiApplication } = await import('./application.js');
  const { RestBindings } = await import('@loopback/rest');
  const app = new JwtApiApplication({ jwt: config });
  await app.start();
  const audiences = config.audiences?.join(', ') ?? '(not checked)';
  console.log(
    `LoopBack JWT API listening on port ${await app.restServer.get(RestBindings.PORT)}; issuer ${config.issuer}, JWKS ${config.jwksUri}, ` +
      `algorithms ${config.algorithms.join(', ')}, audience ${audiences}`,
  );
}

main().catch((error: unknown) => {
  // Start-up failed after the config was accepted (the port is taken, say): one line, exit 1.
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
