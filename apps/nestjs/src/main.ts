/**
 * `node dist/main.js`: the configuration read once from the environment, then the Nest application
 * with ONE verifier for the process (the key set is fetched when a token first needs it, so the
 * app starts while the JWKS is down).
 */
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { ConfigError, readConfig, readPort } from './jwt/index.js';

/** Requests in flight get this long to finish after SIGTERM/SIGINT. */
const GRACE_MS = 10_000;
const SIGNALS = ['SIGTERM', 'SIGINT'];

async function bootstrap(): Promise<void> {
  const config = readConfig(process.env);
  const port = readPort(process.env, 3008);
  // No body parser: no route reads a body, and a token comes from the header only (RFC 6750 §2.1).
  const app = await NestFactory.create(AppModule.forRoot(config), { bodyParser: false });
  // On a signal Nest closes the server (the requests in flight finish), runs the shutdown hooks,
  // then exits 0 (useProcessExit; by default it re-raises the signal: exit code 143).
  app.enableShutdownHooks(SIGNALS, { useProcessExit: true });
  await app.listen(port);
  Logger.log(`listening on port ${port}, accepting tokens from ${config.issuers.join(', ')}`, 'Main');

  // Keep-alive connections close as soon as their answer is sent, instead of holding the exit
  // for the usual 5 s (server.close() ends only the idle ones); the requests in flight get GRACE_MS.
  const server: Server = app.getHttpServer();
  const hurry = () => {
    server.keepAliveTimeout = 1;
    setTimeout(() => process.exit(0), GRACE_MS).unref();
  };
  for (const signal of SIGNALS) process.once(signal, hurry);
}

bootstrap().catch((error: NodeJS.ErrnoException) => {
  // One line, no stack: a ConfigError names the variable; else the cause (the port taken, say).
  if (error instanceof ConfigError) Logger.error(`invalid configuration: ${error.message}`, 'Main');
  else Logger.error(`cannot start on PORT ${process.env.PORT ?? 3008}: ${error.code ?? error.name}`, 'Main');
  process.exit(1);
});
