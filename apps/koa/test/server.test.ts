/**
 * The built server (dist/index.js, made by the global setup) as `pnpm start` runs it:
 * configuration errors at start-up, and a graceful stop that lets a request in flight finish.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Issuer } from './issuer.ts';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];
const issuers: Issuer[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const issuer of issuers.splice(0)) await issuer.stop();
});

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['dist/index.js'], { cwd, env: { PATH: process.env.PATH, ...env } });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function waitForHealth(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the server did not start');
}

describe('the built server', () => {
  it.each([
    ['JWT_ISSUER', {}],
    ['JWT_ALGORITHMS', { JWT_ISSUER: 'http://127.0.0.1:9', JWT_ALGORITHMS: 'HS256' }],
    ['JWT_JWKS_MAX_AGE', { JWT_ISSUER: 'http://127.0.0.1:9', JWT_JWKS_MAX_AGE: 'ten' }],
    ['PORT', { JWT_ISSUER: 'http://127.0.0.1:9', PORT: 'eighty' }],
  ])('refuses to start on a bad %s: one line naming it, exit 1', async (variable, env) => {
    const { child, output } = start(env);
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output().trim().split('\n')).toHaveLength(1);
    expect(output()).toContain(variable);
  });

  it('on SIGTERM, refuses new connections, lets the request in flight finish, then exits 0', async () => {
    const issuer = await new Issuer().start(['ES256']);
    issuers.push(issuer);
    issuer.delay = 1500; // the first request waits on the JWKS
    const port = await freePort();
    const { child } = start({ JWT_ISSUER: issuer.url, PORT: String(port) });
    await waitForHealth(port);
    const inFlight = fetch(`http://127.0.0.1:${port}/protected`, {
      headers: { authorization: `Bearer ${await issuer.mint({ sub: 'patient' })}` },
    });
    while (issuer.requests === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    const reply = await inFlight;
    expect([reply.status, ((await reply.json()) as { user: { sub: string } }).user.sub]).toEqual([
      200,
      'patient',
    ]);
    const t0 = Date.now();
    const [code] = await exited;
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
