// Runs a built server as a child process (only PATH, HOME and what the test gives it), for the
// start-up and shutdown tests of each runtime.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { startIssuer } from './issuer';
import type { Start } from './targets';

export const cwd = fileURLToPath(new URL('..', import.meta.url));

export interface Child {
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function launch(command: string[], env: Record<string, string>): Child {
  const [bin = 'node', ...args] = command;
  const child = spawn(bin, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `target` on a free port of 127.0.0.1 and waits until /health answers. */
export async function startTarget(
  target: Start,
  env: Record<string, string>,
): Promise<{ url: string; child: Child }> {
  const port = await freePort();
  const child = launch(target.command, { ...target.env, ...env, PORT: String(port), HOST: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300 && child.process.exitCode === null; i++) {
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.process.kill('SIGKILL');
  throw new Error(`the server did not start:\n${child.output()}`);
}

/**
 * SIGTERM while a request waits on the JWKS: the request still gets its 200, then the process
 * exits 0 (issue 11: a request in flight is never cut).
 */
export function itDrainsOnSigterm(target: Start): void {
  it('lets a request in flight finish on SIGTERM, then exits 0', async () => {
    const issuer = await startIssuer();
    try {
      const { url, child } = await startTarget(target, { JWT_ISSUER: issuer.url });
      try {
        const release = issuer.hold();
        const token = await issuer.mint();
        const pending = fetch(`${url}/protected`, { headers: { authorization: `Bearer ${token}` } });
        while (issuer.jwksRequests === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        child.process.kill('SIGTERM');
        await new Promise((resolve) => setTimeout(resolve, 300));
        release();
        const response = await pending;
        expect(response.status).toBe(200);
        expect(await child.exited).toBe(0);
      } finally {
        child.process.kill('SIGKILL');
      }
    } finally {
      await issuer.close();
    }
  });
}
