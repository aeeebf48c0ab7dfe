import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEV_ISSUER_PORT } from './cli-constants.ts';
import { MockIssuer } from './issuer.ts';
import { requestToken } from './mint-endpoint.ts';

export interface DevOptions {
  /** Shown in the banner: `koa`, `hono`, ... */
  name: string;
  /** The app's default port (the contract's table); `PORT` overrides it. */
  port: number;
  /** The reloading server command, e.g. `['tsx', 'watch', 'src/index.ts']`. */
  command: string[];
  cwd?: string;
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

async function waitForHealth(url: string, child: { exitCode: number | null }): Promise<boolean> {
  for (let i = 0; i < 240 && child.exitCode === null; i++) {
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) return true;
    await sleep(250);
  }
  return false;
}

/**
 * `pnpm dev` for every app: with no `JWT_ISSUER`, points the app at the local mock issuer
 * (shared by all apps on port 3000) and prints a ready-to-paste curl once `/health` answers.
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
  child.on('exit', (code) => process.exit(code ?? 0));

  const base = `http://127.0.0.1:${port}`;
  if (!(await waitForHealth(base, child))) return;
  if (!issuer) {
    console.log(`\n${options.name} is ready on ${base}, verifying tokens from ${env.JWT_ISSUER}\n`);
    return;
  }
  const alg = env.JWT_ALGORITHMS?.split(',')[0]?.trim() || 'RS256';
  const aud = env.JWT_AUDIENCE?.split(',')[0]?.trim() || undefined;
  const token = await requestToken(issuer.origin, { alg, aud, scope: 'read admin', exp: 3600 }).catch((e: Error) => {
    // The shared issuer lives in whichever app's `pnpm dev` started it; it may be gone.
    console.error(`\n${options.name}: the mock issuer at ${issuer.origin} did not mint a token (${e.message}).`);
    return undefined;
  });
  if (!token) return;
  console.log(`
${options.name} is ready on ${base}, verifying tokens from the mock issuer ${issuer.url}
Try it (the token is valid for an hour; \`pnpm -s run token\` at the repo root mints another):

  curl -i ${base}/protected -H "Authorization: Bearer ${token}"
`);
}
