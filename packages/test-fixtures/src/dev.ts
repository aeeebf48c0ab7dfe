import { spawn } from 'node:child_process';
import { ALGORITHMS } from './algorithms.ts';
import { bannerSections, formatBanner } from './dev-banner.ts';
import { devIssuers } from './dev-issuers.ts';
import { type TokenHeader, tokenHeader } from './header.ts';
import { waitForHealth } from './process.ts';

// Only relative files and node built-ins here: a starter carries this file bundled.

export interface DevOptions {
  /** Shown in the banner: `koa`, `hono`, ... */
  name: string;
  /** The app's default port (the contract's table); `PORT` overrides it. */
  port: number;
  /** The reloading server command, e.g. `['tsx', 'watch', 'src/index.ts']`. */
  command: string[];
  cwd?: string;
  /** The algorithms the app verifies (default: all nine); the banner's tokens use one of them. */
  algorithms?: readonly string[];
  /** How the banner says to get more tokens (default: `pnpm mint` at the repository root). */
  mintHint?: string;
}

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean) ?? [];

/**
 * The algorithms to try for the banner's tokens, best first: EdDSA (the gateway's default)
 * unless JWT_ALGORITHMS (or what the app verifies) leaves it out, then the others in order.
 */
export function bannerAlgorithms(
  env: NodeJS.ProcessEnv,
  supported: readonly string[] = ALGORITHMS,
): string[] {
  const configured = list(env.JWT_ALGORITHMS);
  const allowed = configured.length > 0 ? configured : [...supported];
  return allowed.includes('EdDSA') ? ['EdDSA', ...allowed.filter((a) => a !== 'EdDSA')] : allowed;
}

/**
 * `pnpm dev` for every app: with no `JWT_ISSUER`, points the app at two local mock issuers, the
 * production and a preview environment of a mock gateway (shared by all apps, on ports 3000 and
 * 3009), and prints ready-to-paste curls for both once `/health` answers, in the header and with
 * the prefix that JWT_HEADER and JWT_TOKEN_PREFIX name.
 */
export async function runDev(options: DevOptions): Promise<void> {
  const port = Number(process.env.PORT ?? options.port);
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  const issuers = env.JWT_ISSUER ? undefined : await devIssuers();
  if (issuers) env.JWT_ISSUER = issuers.map((i) => i.url).join(',');

  const [bin, ...args] = options.command;
  if (!bin) throw new Error('runDev needs a command');
  const child = spawn(bin, args, { cwd: options.cwd, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  void exited.then((code) => process.exit((code as number | null) ?? 0));

  const base = `http://127.0.0.1:${port}`;
  if ((await waitForHealth(`${base}/health`, exited, 60_000)) !== 'ready') return;
  if (!issuers) {
    console.log(`\n${options.name} is ready on ${base}, verifying tokens from ${env.JWT_ISSUER}\n`);
    return;
  }
  const header = tokenHeader(env);
  const algs = bannerAlgorithms(env, options.algorithms);
  const banner = await bannerSections(issuers, base, header, algs, list(env.JWT_AUDIENCE)[0]).catch(
    (e: Error) => {
      // A shared issuer lives in whichever app's `pnpm dev` started it; it may be gone.
      console.error(`\n${options.name}: a mock issuer did not mint a token (${e.message}).`);
      return undefined;
    },
  );
  if (!banner || banner.sections.length === 0) return;
  const mintHint =
    options.mintHint ?? (IN_REPOSITORY ? repositoryHint(header) : starterHint(issuers[0]?.origin));
  console.log(formatBanner({ name: options.name, base, header, mintHint, ...banner }));
}

/**
 * `pnpm mint` is the repository's script; a starter (packages/starter bundles this file into the
 * app's dev script) has none, but the mock issuer it starts mints over HTTP all the same.
 */
const IN_REPOSITORY = import.meta.url.includes('/packages/test-fixtures/');
const repositoryHint = (header: TokenHeader) =>
  `\`pnpm mint ${mintFlags(header)}\` at the repository root, with \`--issuer preview\` for the preview`;
export const starterHint = (origin: string | undefined) =>
  `\`curl -s -X POST ${origin}/__mock/token -d '{"scope":"read admin"}'\` (also "sub", "aud", "alg", "exp" in seconds)`;

/** The flags that make `pnpm mint` print what the banner's curls send (a header line when not the default). */
export function mintFlags(header: TokenHeader): string {
  const flags = ['--scope "read admin"'];
  if (header.name.toLowerCase() !== 'authorization') flags.push(`--header ${header.name}`);
  if (header.prefix !== 'Bearer') flags.push(`--prefix ${header.prefix === '' ? "''" : header.prefix}`);
  return flags.join(' ');
}
