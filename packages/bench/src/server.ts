import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { groupCpuSeconds, groupMemoryMb } from './proc.ts';

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

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
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
  if (!(await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]))) {
    signal('SIGKILL');
    await exited;
  }
}

/** Every server started and not yet stopped, so an interrupted run can still clean up. */
const live = new Set<ChildProcess>();
export const stopAll = (): Promise<unknown> => Promise.all([...live].map(kill));

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
  const [bin, ...args] = command;
  if (!bin) throw new Error(`${name}: empty command`);
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production' };
  const child = spawn(bin, args, {
    cwd,
    env: { ...base, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-16_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const pgid = child.pid as number;
  const url = `http://127.0.0.1:${port}`;
  const stop = () => kill(child);
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (Date.now() < deadline && child.exitCode === null) {
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) {
      return {
        url,
        pgid,
        rssMb: () => groupMemoryMb(pgid, 'VmRSS'),
        peakRssMb: () => groupMemoryMb(pgid, 'VmHWM'),
        cpuSeconds: () => groupCpuSeconds(pgid),
        output: () => text,
        stop,
      };
    }
    await sleep(100);
  }
  await stop();
  const last = text.trim().split('\n').slice(-5).join(' | ');
  throw new Error(`did not answer GET /health with 200 (exit code ${child.exitCode}): ${last}`);
}
