import { freePort, runExpectingExit, type ServerOptions, startServer } from '@repo/test-fixtures';
import { renamed, routesOf, type Target } from './target.ts';

export { freePort };

export interface RunningApp {
  url: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * How the target is started on `port`. Only what the contract names reaches the app, so a
 * developer's shell cannot change a result; NODE_ENV=production: the contract's `pnpm start` is
 * the production server (target.env may change it).
 */
export function launchOptions(
  target: Target,
  port: number,
  env: Record<string, string>,
): ServerOptions & { url: string } {
  const url = `http://127.0.0.1:${port}`;
  return {
    name: target.name,
    command: target.command,
    cwd: target.cwd,
    env: { NODE_ENV: 'production', ...target.env, ...renamed(target, { PORT: String(port), ...env }) },
    url,
    health: url + routesOf(target).health,
    timeoutMs: (target.startTimeout ?? 30) * 1000,
  };
}

/** Starts the target on a free port and waits until `GET /health` answers 200. */
export async function startApp(target: Target, env: Record<string, string>): Promise<RunningApp> {
  const options = launchOptions(target, await freePort(), env);
  const server = await startServer(options);
  return { url: options.url, output: server.output, stop: async () => void (await server.stop()) };
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
  const { code, output, started, exited } = await runExpectingExit(
    launchOptions(target, await freePort(), env),
  );
  return { code, output, started, exited };
}
