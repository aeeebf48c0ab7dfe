import { parseArgs } from 'node:util';
import { ALGORITHMS, isAlg } from './algorithms.ts';
import { MockIssuer } from './issuer.ts';
import { requestToken } from './mint-endpoint.ts';

import { DEV_ISSUER_PORT } from './cli-constants.ts';

const usage = `usage:
  issuer [--port ${DEV_ISSUER_PORT}]                 start the mock issuer and print its URL
  token [--issuer http://127.0.0.1:${DEV_ISSUER_PORT}] [--sub S] [--scope "read admin"] [--aud A] [--alg RS256] [--exp SECONDS]
                                        print a token minted by a running mock issuer`;

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

async function issuer(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' } } });
  const port = Number(values.port ?? DEV_ISSUER_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, got "${values.port}"`);
  const running = await MockIssuer.start({ port }).catch((e: NodeJS.ErrnoException) =>
    fail(e.code === 'EADDRINUSE' ? `port ${port} is in use; pass --port` : e.message),
  );
  console.log(`mock issuer: ${running.url}
  JWKS: ${running.jwksUri}
  keys: ${ALGORITHMS.join(', ')}
point an app at it:  JWT_ISSUER=${running.url}
mint a token:        pnpm -s run token --issuer ${running.origin} --scope "read admin"`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function token(args: string[]): Promise<void> {
  const options = {
    issuer: { type: 'string' },
    sub: { type: 'string' },
    scope: { type: 'string' },
    aud: { type: 'string' },
    alg: { type: 'string' },
    exp: { type: 'string' },
  } as const;
  const { values } = parseArgs({ args, options });
  if (values.alg !== undefined && !isAlg(values.alg)) fail(`--alg must be one of ${ALGORITHMS.join(' ')}`);
  const exp = values.exp === undefined ? undefined : Number(values.exp);
  if (exp !== undefined && !Number.isFinite(exp)) fail('--exp is a number of seconds from now');
  const origin = new URL(values.issuer ?? `http://127.0.0.1:${DEV_ISSUER_PORT}`).origin;
  const minted = await requestToken(origin, { ...values, exp }).catch((e: Error) =>
    fail(`could not mint at ${origin} (${e.message}); is \`pnpm issuer\` running?`),
  );
  console.log(minted);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'issuer') await issuer(rest);
else if (command === 'token') await token(rest);
else fail(command ? `unknown command "${command}"` : 'no command');
