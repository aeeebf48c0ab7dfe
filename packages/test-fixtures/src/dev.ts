import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { ALGORITHMS } from './algorithms.ts';
import { DEV_ISSUER_PORT } from './cli-constants.ts';
import { MockIssuer } from './issuer.ts';
import { requestToken } from './mint-endpoint.ts';
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

/** Finds the dev issuer another app already started on the shared port, or starts it. */
async function joinOrStartIssuer(): Promise<{ url: string; origin: string }> {
  const origin = `http://127.0.0.1:${DEV_ISSUER_PORT}`;
  for (let attempt = 0; attempt < 20; attempt++) {
    const running = await fetch(`${origin}/__mock/health`)
      .then((r) => (r.ok ? (r.json() as Promise<{ issuer: string }>) : undefined))
      .catch(() => undefined);
    if (running) return { url: running.issuer, origin };
    const started = await MockIssuer.start({ port: DEV_ISSUER_PORT }).catch(() => undefined);
    if (started) return started;
    await sleep(250); // someone else is binding the port right now: ask again
  }
  const own = await MockIssuer.start();
  return own;
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

interface Curl {
  path: string;
  token: string;
}

/**
 * Mints gateway-shaped tokens for `/protected` and `/protected/admin` (scope `read admin`) with
 * the first algorithm the running app accepts; `aud` is JWT_AUDIENCE's first value or, as the
 * gateway does when not told otherwise, the request URL.
 */
async function bannerTokens(
  origin: string,
  base: string,
  env: NodeJS.ProcessEnv,
  algs: string[],
): Promise<Curl[]> {
  const audience = list(env.JWT_AUDIENCE)[0];
  let first: Curl[] | undefined;
  for (const alg of algs) {
    const curls: Curl[] = [];
    for (const [path, scope] of [
      ['/protected', 'read'],
      ['/protected/admin', 'read admin'],
    ] as const) {
      const token = await requestToken(origin, { alg, scope, aud: audience ?? base + path, exp: 3600 });
      curls.push({ path, token });
    }
    first ??= curls;
    const [probe] = curls;
    const accepted =
      probe && (await fetch(base + probe.path, { headers: { authorization: `Bearer ${probe.token}` } })).ok;
    if (accepted) return curls;
  }
  return first ?? [];
}

/**
 * `pnpm dev` for every app: with no `JWT_ISSUER`, points the app at the local mock issuer
 * (shared by all apps on port 3000) and prints ready-to-paste curls once `/health` answers.
 */
export async function runDev(options: DevOptions): Promise<void> {
  const port = Number(process.env.PORT ?? options.port);
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  const issuer = env.JWT_ISSUER ? undefined : await joinOrStartIssuer();
  if (issuer) env.JWT_ISSUER = issuer.url;

  const [bin, ...args] = options.command;
  if (!bin) throw new Error('runDev needs a command');
  const child = spawn(bin, args, { cwd: options.cwd, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  void exited.then((code) => process.exit((code as number | null) ?? 0));

  const base = `http://127.0.0.1:${port}`;
  if ((await waitForHealth(`${base}/health`, exited, 60_000)) !== 'ready') return;
  if (!issuer) {
    console.log(`\n${options.name} is ready on ${base}, verifying tokens from ${env.JWT_ISSUER}\n`);
    return;
  }
  const curls = await bannerTokens(issuer.origin, base, env, bannerAlgorithms(env, options.algorithms)).catch(
    (e: Error) => {
      // The shared issuer lives in whichever app's `pnpm dev` started it; it may be gone.
      console.error(
        `\n${options.name}: the mock issuer at ${issuer.origin} did not mint a token (${e.message}).`,
      );
      return [];
    },
  );
  if (curls.length === 0) return;
  const alg = JSON.parse(Buffer.from(curls[0]?.token.split('.')[0] ?? '', 'base64url').toString()).alg;
  const hint = options.mintHint ?? '`pnpm mint --scope "read admin"` at the repository root';
  console.log(`
${options.name} is ready on ${base}, verifying tokens from the mock issuer ${issuer.url}
Try it with ${alg} tokens shaped like the gateway's (valid for an hour; ${hint} mints more):

${curls.map((c) => `  curl -i ${base}${c.path} -H "Authorization: Bearer ${c.token}"`).join('\n\n')}
`);
}
