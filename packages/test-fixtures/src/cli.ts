import { ALGORITHMS, isAlg } from './algorithms.ts';
import { integer, parse, UsageError } from './cli-args.ts';
import { DEV_ENVIRONMENTS, DEV_ISSUER_PORT, DEV_PREVIEW_PORT } from './cli-constants.ts';
import { ISSUER_USAGE, issuer } from './cli-issuer.ts';
import { headerValue, TOKEN, type TokenHeader } from './header.ts';
import type { Claims } from './mint.ts';
import { requestToken } from './mint-endpoint.ts';

const MINT_USAGE = `usage: pnpm mint [--issuer production] [--scope "read admin"] [--sub S] [--aud A] [--alg EdDSA]
                 [--exp 300] [--claims '{"tenant":"acme"}'] [--header Authorization] [--prefix Bearer]
  Prints a token from a running \`pnpm issuer\` (or \`pnpm dev\`), shaped like the gateway's: header
  alg, typ, kid; claims iss, sub, iat, exp, plus aud, scope and --claims (the policy's additionalClaims).
  --issuer I   production (port ${DEV_ISSUER_PORT}, the default), preview (port ${DEV_PREVIEW_PORT}), or an issuer URL
               such as http://127.0.0.1:${DEV_PREVIEW_PORT}/__zuplo/issuer
  --alg ALG    one of ${ALGORITHMS.join(' ')} (default: the issuer's, EdDSA)
  --exp N      lifetime in seconds from now (default 300); negative for an expired token
  --claims J   a JSON object of extra claims
  --header H   print a header line for curl -H, "H: Bearer <token>" (the policy's headerName)
  --prefix P   the prefix in that line (default Bearer; '' for none: the policy's tokenPrefix)`;

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

/** `--issuer`: an environment's name or an issuer URL; the mock mints at the URL's origin. */
function issuerUrl(value = 'production'): URL {
  const env = DEV_ENVIRONMENTS.find((e) => e.name === value);
  if (env) return new URL(`http://127.0.0.1:${env.port}`);
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw new UsageError(
      `--issuer must be ${DEV_ENVIRONMENTS.map((e) => e.name).join(', ')} or a URL, got "${value}"`,
    );
  return new URL(value);
}

/** `--header` and `--prefix`: checked as the apps check JWT_HEADER and JWT_TOKEN_PREFIX. */
function headerFrom(name: string | undefined, prefix: string | undefined): TokenHeader | undefined {
  if (name === undefined && prefix === undefined) return undefined;
  if (name !== undefined && !TOKEN.test(name))
    throw new UsageError(`--header must be a header name, got "${name}"`);
  if (prefix !== undefined && prefix !== '' && !TOKEN.test(prefix))
    throw new UsageError(`--prefix must be a word like Bearer, or empty, got "${prefix}"`);
  return { name: name ?? 'Authorization', prefix: prefix ?? 'Bearer' };
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
    header: { type: 'string' },
    prefix: { type: 'string' },
  });
  if (values.help) return void console.log(MINT_USAGE);
  if (values.alg !== undefined && !isAlg(values.alg))
    throw new UsageError(`--alg must be one of ${ALGORITHMS.join(' ')}`);
  const exp = integer('exp', values.exp, -10 * 365 * 86400, 10 * 365 * 86400);
  const header = headerFrom(values.header, values.prefix);
  const url = issuerUrl(values.issuer);
  const { sub, scope, aud, alg } = values;
  const request = { sub, scope, aud, alg, exp, claims: claimsFrom(values.claims) };
  const token = await requestToken(url.origin, request).catch((e: Error) => {
    console.error(
      `could not mint at ${url.origin} (${e.message}); is \`pnpm issuer\` or \`pnpm dev\` running?`,
    );
    process.exit(1);
  });
  // An issuer URL names the exact `iss`: a mock with another one there would mint tokens an app refuses.
  const iss = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).iss;
  if (url.pathname !== '/' && iss !== url.href && iss !== values.issuer)
    throw new UsageError(`the mock issuer at ${url.origin} is ${iss}, not ${values.issuer}`);
  console.log(header ? `${header.name}: ${headerValue(header, token)}` : token);
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
