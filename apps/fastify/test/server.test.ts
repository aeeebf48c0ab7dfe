/**
 * The built server (dist/index.js, made by the global setup) as `pnpm start` runs it:
 * configuration errors at start-up, and a graceful stop that lets a request in flight finish.
 * Started through the repository's one process helper (@repo/test-fixtures, which a starter carries).
 */
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { launch, runExpectingExit } from '@repo/test-fixtures';
import { afterEach, describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const command = [process.execPath, 'dist/index.js'];
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A JWKS host that accepts connections and never answers: a fetch waits out its 5 s timeout. */
async function silentHost(): Promise<{ url: string; connections: () => number }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => void sockets.add(socket)).listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    connections: () => sockets.size,
  };
}

describe('the built server', () => {
  it.each([
    ['JWT_ISSUER', {}],
    ['JWT_ALGORITHMS', { JWT_ISSUER: 'http://127.0.0.1:9', JWT_ALGORITHMS: 'HS256' }],
    ['JWT_JWKS_MAX_AGE', { JWT_ISSUER: 'http://127.0.0.1:9', JWT_JWKS_MAX_AGE: 'ten' }],
    ['PORT', { JWT_ISSUER: 'http://127.0.0.1:9', PORT: 'eighty' }],
  ])('refuses to start on a bad %s: one line naming it, exit 1', async (variable, env) => {
    const { code, output } = await runExpectingExit({ command, cwd, env });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toContain(variable);
  });

  it('on SIGTERM, refuses new connections, lets the request in flight finish, then exits 0', async () => {
    const jwks = await silentHost();
    const { child, output, exited } = launch({ command, cwd, env: { JWT_ISSUER: jwks.url, PORT: '0' } });
    cleanups.push(() => child.kill('SIGKILL'));
    while (!/listening at http:\S+:\d+/.test(output()))
      await once(child.stdout as NodeJS.ReadableStream, 'data');
    const base = `http://127.0.0.1:${/listening at http:\S+:(\d+)/.exec(output())?.[1]}`;
    expect((await fetch(`${base}/health`)).status).toBe(200);

    // The token's shape is all that matters: the request waits on the JWKS, which never answers.
    // A listed iss: since #19 an unlisted one is refused before any fetch.
    const payload = JSON.stringify({ sub: 'patient', iss: jwks.url });
    const token = ['{"alg":"ES256","kid":"k"}', payload, 'sig'].map((s) =>
      Buffer.from(s).toString('base64url'),
    );
    const inFlight = fetch(`${base}/protected`, { headers: { authorization: `Bearer ${token.join('.')}` } });
    while (jwks.connections() === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(fetch(`${base}/health`, { headers: { connection: 'close' } })).rejects.toThrow();

    const reply = await inFlight; // answered after the 5 s fetch timeout, not reset
    expect([reply.status, ((await reply.json()) as { error: string }).error]).toEqual([
      503,
      'temporarily_unavailable',
    ]);
    const t0 = Date.now();
    const { code } = await exited;
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
