import { freePort, startServer as start, stopAll } from '@repo/test-fixtures';
import { groupCpuSeconds, groupMemoryMb } from './proc.ts';

export { stopAll };

/** A server under test, started the way the conformance runner starts apps (production env only). */
export interface RunningServer {
  url: string;
  /** Process group id: the server and anything it spawned (nginx workers). */
  pgid: number;
  rssMb(): number;
  peakRssMb(): number;
  cpuSeconds(): number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `command` in `cwd` with only PATH, HOME, NODE_ENV=production, PORT and `env`, in its own
 * process group, and waits until GET /health answers 200.
 */
export async function startServer(
  name: string,
  command: readonly string[],
  cwd: string,
  env: Record<string, string>,
  timeoutSeconds = 30,
): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await start({
    name,
    command,
    cwd,
    env: { NODE_ENV: 'production', ...env, PORT: String(port) },
    health: `${url}/health`,
    timeoutMs: timeoutSeconds * 1000,
  });
  const pgid = server.child.pid as number;
  return {
    url,
    pgid,
    rssMb: () => groupMemoryMb(pgid, 'VmRSS'),
    peakRssMb: () => groupMemoryMb(pgid, 'VmHWM'),
    cpuSeconds: () => groupCpuSeconds(pgid),
    output: server.output,
    stop: async () => void (await server.stop()),
  };
}
