/**
 * `node dist/main.js`: the configuration read once (one line and exit 1 on a mistake), then the
 * Nest application with ONE verifier for the process (the key set is fetched when a token first
 * needs it, so the app starts while the JWKS is down).
 */
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { ConfigError, readConfig, readPort } from './jwt/index.js';

/** Requests in flight get this long to finish after SIGTERM/SIGINT. */
const GRACE_MS = 10_000;
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
const logger = new Logger('Main');

function configure() {
  try {
    return { config: readConfig(process.env), port: readPort(process.env, 3008) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    logger.error(`invalid configuration: ${error.message}`);
    process.exit(1);
  }
}

async function bootstrap(): Promise<void> {
  const { config, port } = configure();
  // No body parser: no route reads a body, and a token is taken from the header only (RFC 6750 §2.1).
  const app = await NestFactory.create(AppModule.forRoot(config), { bodyParser: false });
  // On a signal Nest closes the server (the requests in flight finish), runs the shutdown hooks,
  // then exits 0 (useProcessExit; by default it re-raises the signal and the exit code is 143).
  app.enableShutdownHooks([...SIGNALS], { useProcessExit: true });
  await app.listen(port);
  logger.log(`listening on port ${port}, accepting tokens from ${config.issuer}`);

  // Idle keep-alive connections close now; busy ones as soon as their answer is sent, instead of
  // holding the exit for the usual 5 s. The requests in flight get GRACE_MS at most.
  const server: Server = app.getHttpServer();
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      server.keepAliveTimeout = 1;
      server.closeIdleConnections();
      setTimeout(() => process.exit(0), GRACE_MS).unref();
    });
  }
}

bootstrap().catch((error: NodeJS.ErrnoException) => {
  // Start-up failed after the configuration was accepted (the port is taken, say): one line.
  logger.error(`cannot start on PORT ${process.env.PORT ?? 3008}: ${error.code ?? error.name}`);
  process.exit(1);
});
