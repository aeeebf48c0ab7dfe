/** enableShutdownHooks: on SIGTERM the request in flight finishes, new connections are refused, exit 0. */
import { fileURLToPath } from 'node:url';
import { type ChildServer, freePort, MockIssuer, startServer } from '@repo/test-fixtures';
import { afterEach, describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));
let issuer: MockIssuer | undefined;
let server: ChildServer | undefined;
afterEach(async () => {
  await server?.stop();
  await issuer?.close();
  server = issuer = undefined;
});

describe('the built server on SIGTERM', () => {
  it('refuses new connections, lets the request in flight finish, then exits 0', async () => {
    issuer = await MockIssuer.start({ algorithms: ['ES256'] });
    await issuer.fault('delay'); // the first request waits 2.5 s on the JWKS
    const port = await freePort();
    server = await startServer({
      command: [process.execPath, 'dist/main.js'],
      cwd,
      env: { NO_COLOR: '1', JWT_ISSUER: issuer.url, PORT: String(port) },
      health: `http://127.0.0.1:${port}/health`,
    });
    const { child, exited, output } = server;
    const token = issuer.mint({ sub: 'patient' }, { alg: 'ES256' });
    const inFlight = fetch(`http://127.0.0.1:${port}/protected`, {
      headers: { authorization: `Bearer ${token}` },
    });
    while (issuer.jwksRequests === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    const reply = await inFlight;
    expect([reply.status, ((await reply.json()) as { user: { sub: string } }).user.sub]).toEqual([
      200,
      'patient',
    ]);
    const t0 = Date.now();
    const { code } = await exited;
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(output()).toMatch(/listening on port/);
    expect(output()).not.toContain(token.split('.')[2]); // the JWKS log lines never carry the token
  });
});
