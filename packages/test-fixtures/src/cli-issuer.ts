import { ALGORITHMS, type Alg, isAlg } from './algorithms.ts';
import { integer, parse, UsageError } from './cli-args.ts';
import { DEV_ENVIRONMENTS, DEV_ISSUER_PORT, DEV_PREVIEW_PORT } from './cli-constants.ts';
import { MockIssuer } from './issuer.ts';

export const ISSUER_USAGE = `usage: pnpm issuer [--port ${DEV_ISSUER_PORT}] [--preview-port ${DEV_PREVIEW_PORT}] [--alg EdDSA]
  Starts a mock gateway on 127.0.0.1 with two environments, production and a preview branch:
  two issuers with their own keys (one per algorithm), each laid out like the gateway's
  (<origin>/__zuplo/issuer, its .well-known/openid-configuration and .well-known/jwks.json).
  --port N          production's port (default ${DEV_ISSUER_PORT}; 0 picks a free one)
  --preview-port N  the preview's port (default ${DEV_PREVIEW_PORT}; 0 picks a free one)
  --alg ALG         what \`pnpm mint\` signs with by default (default EdDSA, as the gateway)`;

async function start(port: number, defaultAlg: Alg | undefined): Promise<MockIssuer> {
  return MockIssuer.start({ port, defaultAlg }).catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(
      e.code === 'EADDRINUSE' ? `port ${port} is in use; pass --port or --preview-port` : e.message,
    );
  });
}

/** The `--issuer` flag that mints from `issuer`: its name when it runs on its default port. */
function issuerFlag(issuer: MockIssuer, index: number): string {
  const env = DEV_ENVIRONMENTS[index];
  if (env && issuer.origin === `http://127.0.0.1:${env.port}`)
    return index === 0 ? '' : ` --issuer ${env.name}`;
  return ` --issuer ${issuer.url}`;
}

export async function issuer(args: string[]): Promise<void> {
  const options = {
    port: { type: 'string' },
    'preview-port': { type: 'string' },
    alg: { type: 'string' },
  } as const;
  const { values } = parse(args, options);
  if (values.help) return void console.log(ISSUER_USAGE);
  const port = integer('port', values.port, 0, 65535) ?? DEV_ISSUER_PORT;
  const previewPort = integer('preview-port', values['preview-port'], 0, 65535) ?? DEV_PREVIEW_PORT;
  if (port === previewPort && port !== 0) throw new UsageError('--port and --preview-port must differ');
  if (values.alg !== undefined && !isAlg(values.alg))
    throw new UsageError(`--alg must be one of ${ALGORITHMS.join(' ')}`);
  const production = await start(port, values.alg);
  const preview = await start(previewPort, values.alg).catch(async (e: Error) => {
    await production.close();
    throw e;
  });
  const both = [production, preview];
  console.log(`mock gateway, two environments (keys: ${ALGORITHMS.join(', ')}; tokens are ${production.defaultAlg} unless --alg says otherwise)
  production  ${production.url}
  preview     ${preview.url}
  discovery   <issuer>/.well-known/openid-configuration
point an app at both:  JWT_ISSUER=${both.map((i) => i.url).join(',')}
mint a token:          ${both.map((i, n) => `pnpm mint${issuerFlag(i, n)} --scope "read admin"`).join('\n                       ')}`);
  const stop = () => void Promise.all(both.map((i) => i.close())).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
