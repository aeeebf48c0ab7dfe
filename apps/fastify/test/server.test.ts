/**
 * The built server (dist/index.js, made by the global setup) as `pnpm start` runs it:
 * configuration errors at start-up, and a graceful stop that lets a request in flight finish.
 * Started through the repository's one process helper (@repo/test-fixtures, which a starter carries).
 */
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { launch, MockIssuer, runExpectingExit } from '@repo/test-fixtures';
import { afterEach, describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const command = [process.execPath, 'dist/index.js'];
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

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
    const issuer = await MockIssuer.start({ algorithms: ['ES256'] });
    cleanups.push(() => issuer.close());
    await issuer.fault('slow'); // the key set answers only after the 5 s fetch timeout
    const { child, output, exited } = launch({ command, cwd, env: { JWT_ISSUER: issuer.url, PORT: '0' } });
    cleanups.push(() => child.kill('SIGKILL'));
    while (!/listening at http:\S+:\d+/.test(output()))
      await once(child.stdout as NodeJS.ReadableStream, 'data');
    const base = `http://127.0.0.1:${/listening at http:\S+:(\d+)/.exec(output())?.[1]}`;
    expect((await fetch(`${base}/health`)).status).toBe(200);

    const token = issuer.mint({ sub: 'patient' }, { alg: 'ES256' });
    const inFlight = fetch(`${base}/protected`, { headers: { authorization: `Bearer ${token}` } });
    while (issuer.jwksRequests === 0) await new Promise((resolve) => setTimeout(resolve, 20));
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
