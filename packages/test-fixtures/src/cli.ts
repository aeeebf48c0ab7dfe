import { ALGORITHMS, isAlg } from './algorithms.ts';
import { integer, parse, UsageError } from './cli-args.ts';
import { DEV_ISSUER_PORT } from './cli-constants.ts';
import { MockIssuer } from './issuer.ts';
import type { Claims } from './mint.ts';
import { requestToken } from './mint-endpoint.ts';

const ISSUER_USAGE = `usage: pnpm issuer [--port ${DEV_ISSUER_PORT}] [--alg EdDSA]
  Starts the mock issuer on 127.0.0.1, laid out like the gateway's
  (<origin>/__zuplo/issuer/.well-known/jwks.json), with one key per algorithm.
  --port N     port to listen on (default ${DEV_ISSUER_PORT}; 0 picks a free one)
  --alg ALG    what \`pnpm mint\` signs with by default (default EdDSA, as the gateway)`;

const MINT_USAGE = `usage: pnpm mint [--scope "read admin"] [--sub S] [--aud A] [--alg EdDSA] [--exp 300]
                 [--claims '{"tenant":"acme"}'] [--issuer http://127.0.0.1:${DEV_ISSUER_PORT}]
  Prints a token from a running \`pnpm issuer\`, shaped like the gateway's: header alg, typ, kid;
  claims iss, sub, iat, exp, plus aud, scope and --claims (the policy's additionalClaims).
  --alg ALG    one of ${ALGORITHMS.join(' ')} (default: the issuer's, EdDSA)
  --exp N      lifetime in seconds from now (default 300); negative for an expired token
  --claims J   a JSON object of extra claims`;

async function issuer(args: string[]): Promise<void> {
  const { values } = parse(args, { port: { type: 'string' }, alg: { type: 'string' } });
  if (values.help) return void console.log(ISSUER_USAGE);
  const port = integer('port', values.port, 0, 65535) ?? DEV_ISSUER_PORT;
  if (values.alg !== undefined && !isAlg(values.alg))
    throw new UsageError(`--alg must be one of ${ALGORITHMS.join(' ')}`);
  const running = await MockIssuer.start({ port, defaultAlg: values.alg }).catch(
    (e: NodeJS.ErrnoException) => {
      throw new UsageError(e.code === 'EADDRINUSE' ? `port ${port} is in use; pass --port` : e.message);
    },
  );
  const flag = running.origin === `http://127.0.0.1:${DEV_ISSUER_PORT}` ? '' : ` --issuer ${running.origin}`;
  console.log(`mock issuer: ${running.url}
  JWKS: ${running.jwksUri}
  keys: ${ALGORITHMS.join(', ')} (tokens are ${running.defaultAlg} unless --alg says otherwise)
point an app at it:  JWT_ISSUER=${running.url}
mint a token:        pnpm mint${flag} --scope "read admin"`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function claimsFrom(text: string | undefined): Claims | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('--claims must be a JSON object, e.g. \'{"tenant":"acme"}\'');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError('--claims must be a JSON object');
  return value as Claims;
}

async function mint(args: string[]): Promise<void> {
  const { values } = parse(args, {
    issuer: { type: 'string' },
    sub: { type: 'string' },
    scope: { type: 'string' },
    aud: { type: 'string' },
    alg: { type: 'string' },
    exp: { type: 'string' },
    claims: { type: 'string' },
  });
  if (values.help) return void console.log(MINT_USAGE);
  if (values.alg !== undefined && !isAlg(values.alg))
    throw new UsageError(`--alg must be one of ${ALGORITHMS.join(' ')}`);
  const exp = integer('exp', values.exp, -10 * 365 * 86400, 10 * 365 * 86400);
  let origin: string;
  try {
    origin = new URL(values.issuer ?? `http://127.0.0.1:${DEV_ISSUER_PORT}`).origin;
  } catch {
    throw new UsageError(`--issuer must be a URL, got "${values.issuer}"`);
  }
  const { sub, scope, aud, alg } = values;
  const request = { sub, scope, aud, alg, exp, claims: claimsFrom(values.claims) };
  const token = await requestToken(origin, request).catch((e: Error) => {
    console.error(`could not mint at ${origin} (${e.message}); is \`pnpm issuer\` running?`);
    process.exit(1);
  });
  console.log(token);
}

const COMMANDS: Record<string, [(args: string[]) => Promise<void>, string]> = {
  issuer: [issuer, ISSUER_USAGE],
  mint: [mint, MINT_USAGE],
};

// `pnpm mint --help | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const [command = '', ...rest] = process.argv.slice(2);
const entry = COMMANDS[command];
if (!entry) {
  const known = command === '--help' || command === '-h';
  (known ? console.log : console.error)(
    `${known ? '' : `unknown command "${command}"\n`}${ISSUER_USAGE}\n\n${MINT_USAGE}`,
  );
  process.exit(known ? 0 : 2);
}
await entry[0](rest).catch((error: unknown) => {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message}\n${entry[1]}`);
  process.exit(2);
});
