/**
 * The built server (dist/index.js, made by the global setup) as `pnpm start` runs it:
 * configuration errors at start-up, and a graceful stop that lets a request in flight finish.
 */
import { fileURLToPath } from 'node:url';
import { freePort, MockIssuer, runExpectingExit, startServer, stopAll } from '@repo/test-fixtures';
import { afterEach, describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const command = [process.execPath, 'dist/index.js'];
afterEach(stopAll);

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
    const issuer = await MockIssuer.start({ algorithms: ['EdDSA'] });
    try {
      await issuer.fault('delay'); // the first request waits on the JWKS
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const env = { JWT_ISSUER: issuer.url, PORT: String(port) };
      const app = await startServer({ command, cwd, env, health: `${url}/health` });
      const before = issuer.jwksRequests;
      const inFlight = fetch(`${url}/protected`, {
        headers: { authorization: `Bearer ${issuer.mint({ sub: 'patient' })}` },
      });
      await expect.poll(() => issuer.jwksRequests).toBe(before + 1);
      app.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expect(fetch(`${url}/health`)).rejects.toThrow();
      const reply = await inFlight;
      expect([reply.status, ((await reply.json()) as { user: { sub: string } }).user.sub]).toEqual([
        200,
        'patient',
      ]);
      const t0 = Date.now();
      expect((await app.exited).code).toBe(0);
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      await issuer.close();
    }
  });
});
