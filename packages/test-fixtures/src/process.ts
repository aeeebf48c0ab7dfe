import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// Only node built-ins here: a starter carries this file (packages/starter), and `npm run dev` too.

// Servers are started side by side: two must never be told the same port (the second's /health
// would be answered by the first), so a port is handed out once per process.
const handedOut = new Set<number>();

/** A port that was free a moment ago on 127.0.0.1, never handed out before by this process. */
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

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProcessOptions {
  /** The program and its arguments, spawned without a shell. */
  command: readonly string[];
  cwd?: string;
  /** Added to PATH and HOME: nothing else of this process's environment is passed on. */
  env?: Record<string, string | undefined>;
  /** Names it in errors (default: the command). */
  name?: string;
}

export interface ChildServer {
  readonly child: ChildProcess;
  /** Its last 64 kB of stdout and stderr, interleaved. */
  output(): string;
  /** Settles when the process has exited (its output read to the end, or 200 ms later). */
  readonly exited: Promise<Exit>;
  /**
   * SIGTERM to its process group (the server and whatever it started: npm, tsx, nginx workers),
   * SIGKILL after `graceMs`; then SIGKILL to what is left of the group.
   */
  stop(graceMs?: number): Promise<Exit>;
}

const live = new Set<ChildServer>();
/** Stops every process started here and still running (for an interrupted run). */
export const stopAll = (): Promise<unknown> => Promise.all([...live].map((p) => p.stop()));

/** Starts `command` in a process group of its own, keeping its output. */
export function launch({ command, cwd, env }: ProcessOptions): ChildServer {
  const [bin, ...args] = command;
  if (!bin) throw new Error('launch: empty command');
  const child = spawn(bin, args, {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  const keep = (chunk: Buffer | string) => {
    text = (text + chunk.toString()).slice(-64_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<Exit>((resolve) => {
    child.once('error', (error) => {
      keep(`${error.message}\n`);
      if (child.pid === undefined) resolve({ code: null, signal: null }); // never started
    });
    child.once('exit', async (code, signal) => {
      // A grandchild may hold the pipes open: wait for them briefly, not for it.
      await Promise.race([once(child, 'close'), sleep(200)]);
      resolve({ code, signal });
    });
  });
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // the whole group is gone, or never started
    }
  };
  const server: ChildServer = {
    child,
    output: () => text,
    exited,
    async stop(graceMs = 5000) {
      group('SIGTERM');
      await Promise.race([exited, sleep(graceMs)]);
      group('SIGKILL');
      return exited;
    },
  };
  live.add(server);
  void exited.then(() => live.delete(server));
  return server;
}

/** Whether `url` answers 200: any other status (a proxy's 502, say) is "not yet". */
async function answers200(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(1000) }).then(
    async (r) => {
      await r.arrayBuffer().catch(() => {});
      return r.status === 200;
    },
    () => false,
  );
}

/** Polls `health` (if given) until it answers 200, `exit` settles, or `timeoutMs` passes. */
export async function waitForHealth(
  health: string | undefined,
  exit: Promise<unknown>,
  timeoutMs = 30_000,
): Promise<'ready' | 'exited' | 'timeout'> {
  let exited = false;
  void exit.then(() => {
    exited = true;
  });
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (exited) return 'exited';
    if (health && (await answers200(health))) return 'ready';
    await Promise.race([sleep(100), exit]);
  }
  return exited ? 'exited' : 'timeout';
}

export interface ServerOptions extends ProcessOptions {
  /** The URL that answers 200 once the server is ready, e.g. `http://127.0.0.1:PORT/health`. */
  health: string;
  timeoutMs?: number;
}

/** Launches a server and waits for its health URL; if it exits or times out, throws with its output. */
export async function startServer(options: ServerOptions): Promise<ChildServer> {
  const server = launch(options);
  const { timeoutMs = 30_000 } = options;
  const state = await waitForHealth(options.health, server.exited, timeoutMs);
  if (state === 'ready') return server;
  const { code, signal } = await server.stop();
  const how = state === 'exited' ? `it exited with code ${code ?? signal}` : `within ${timeoutMs / 1000} s`;
  throw new Error(
    `${options.name ?? options.command.join(' ')} did not answer GET ${options.health} with 200 (${how}); it printed:\n${server.output().slice(-3000)}`,
  );
}

export interface ExpectedExit extends Exit {
  output: string;
  /** Its health URL answered 200 instead (it was then stopped). */
  started: boolean;
  /** False when it neither exited nor started by the deadline (it was then stopped). */
  exited: boolean;
}

/** Launches a process that should refuse to start, and reports how it ended. */
export async function runExpectingExit(
  options: Partial<ServerOptions> & ProcessOptions,
): Promise<ExpectedExit> {
  const server = launch(options);
  const state = await waitForHealth(options.health, server.exited, options.timeoutMs);
  if (state === 'exited')
    return { ...(await server.exited), output: server.output(), started: false, exited: true };
  await server.stop();
  return { code: null, signal: null, output: server.output(), started: state === 'ready', exited: false };
}
