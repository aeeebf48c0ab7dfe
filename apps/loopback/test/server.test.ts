import { fileURLToPath } from 'node:url';
import { freePort, MockIssuer, runExpectingExit, startServer, stopAll } from '@repo/test-fixtures';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/** `node dist/index.js` as `npm start` runs it (test/global-setup.ts built dist/ first). */
const cwd = fileURLToPath(new URL('..', import.meta.url));
const command = [process.execPath, 'dist/index.js'];

let issuer: MockIssuer;
beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['EdDSA'] });
});
afterEach(stopAll);
afterAll(() => issuer.close());

describe('node dist/index.js', () => {
  it.each([
    [{}, 'JWT_ISSUER'],
    [{ JWT_ISSUER: 'https://issuer.example', JWT_ALGORITHMS: 'RS256,HS256' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: 'https://issuer.example', JWT_JWKS_MAX_AGE: 'ten' }, 'JWT_JWKS_MAX_AGE'],
    [{ JWT_ISSUER: 'https://issuer.example', PORT: '70000' }, 'PORT'],
  ])('refuses %j with one line naming %s and exit code 1', async (env, variable) => {
    const { code, output } = await runExpectingExit({ command, cwd, env });
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
  });

  it('on SIGTERM refuses new connections, finishes a request waiting on the JWKS, exits 0', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const env = { JWT_ISSUER: issuer.url, PORT: new URL(url).port };
    const app = await startServer({ command, cwd, env, health: `${url}/health` });
    await issuer.fault('delay');
    const before = issuer.jwksRequests;
    const inFlight = fetch(`${url}/protected`, { headers: { authorization: `Bearer ${issuer.mint()}` } });
    await expect.poll(() => issuer.jwksRequests).toBe(before + 1); // the request now waits on the slow JWKS
    app.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ message: 'Access granted', user: { sub: 'user-123' } });
    expect((await app.exited).code).toBe(0);
  });
});
