// Starts `node dist/start.js` the way the conformance runner does (only PATH, HOME and the
// given variables), on a free port, through the repository's one process helper
// (@repo/test-fixtures): ready once /health answers 200, stopped with its process group.
import { fileURLToPath } from 'node:url';
import { type ChildServer, freePort, startServer } from '@repo/test-fixtures';

export { freePort };

const appDir = fileURLToPath(new URL('../..', import.meta.url));

export interface App {
  url: string;
  child: ChildServer['child'];
  output(): string;
  /** SIGTERM to the group; nginx's workers get their 10 s worker_shutdown_timeout, then SIGKILL. */
  stop(): Promise<void>;
}

export async function startApp(env: Record<string, string>): Promise<App> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startServer({
    command: ['node', 'dist/start.js'],
    cwd: appDir,
    env: { PORT: String(port), ...env },
    health: `${url}/health`,
    name: 'the nginx app',
  });
  return {
    url,
    child: server.child,
    output: server.output,
    stop: async () => void (await server.stop(15_000)),
  };
}
