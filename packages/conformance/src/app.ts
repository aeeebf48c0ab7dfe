import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { renamed, routesOf, type Target } from './target.ts';

export interface RunningApp {
  url: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

// Ports already handed out in this run: groups start apps side by side, and two apps must never
// be told the same port (the second's /health would be answered by the first).
const handedOut = new Set<number>();

/** A port that was free a moment ago on 127.0.0.1, and never handed out before in this run. */
export async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

function launch(target: Target, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const [bin, ...args] = target.command;
  if (!bin) throw new Error(`${target.name}: empty command`);
  // Only what the contract names reaches the app, so a developer's shell cannot change a result.
  // NODE_ENV=production: the contract's `pnpm start` is the production server (target.env may change it).
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production' };
  const child = spawn(bin, args, {
    cwd: target.cwd,
    env: { ...base, ...target.env, ...renamed(target, env) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() ends the whole tree (npm, tsx, nginx workers)
  });
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-64_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => text };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
  if (!done) {
    signal('SIGKILL');
    await exited;
  }
}

/** Whether the target's health route answers 200: any other status (a proxy's 502, say) is "not yet". */
async function healthy(target: Target, url: string): Promise<boolean> {
  return fetch(`${url}${routesOf(target).health}`, { signal: AbortSignal.timeout(1000) }).then(
    async (r) => {
      await r.arrayBuffer().catch(() => {});
      return r.status === 200;
    },
    () => false,
  );
}

/** Starts the target on a free port and waits until `GET /health` answers 200. */
export async function startApp(target: Target, env: Record<string, string>): Promise<RunningApp> {
  const port = await freePort();
  const { child, output } = launch(target, { PORT: String(port), ...env });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (target.startTimeout ?? 30) * 1000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await healthy(target, url)) return { url, output, stop: () => kill(child) };
    await sleep(100);
  }
  await kill(child);
  throw new Error(
    `${target.name} did not answer GET /health with 200 on ${url}; it printed:\n${output().slice(-3000)}`,
  );
}

/**
 * Starts the target expecting it to refuse the configuration. Resolves with its exit code and
 * output; `started: true` if its health route answered 200 instead, `exited: false` if it did
 * neither by the deadline (both failures).
 */
export async function startExpectingExit(
  target: Target,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string; started: boolean; exited: boolean }> {
  const port = await freePort();
  const { child, output } = launch(target, { PORT: String(port), ...env });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + (target.startTimeout ?? 30) * 1000;
  while (Date.now() < deadline) {
    const code = await Promise.race([exited, sleep(200).then(() => 'running' as const)]);
    if (code !== 'running') return { code, output: output(), started: false, exited: true };
    if (await healthy(target, `http://127.0.0.1:${port}`)) {
      await kill(child);
      return { code: null, output: output(), started: true, exited: false };
    }
  }
  // Neither refused nor ready by the deadline: not a refusal either (no exit code).
  await kill(child);
  return { code: null, output: output(), started: false, exited: false };
}
