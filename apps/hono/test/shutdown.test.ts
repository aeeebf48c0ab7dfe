import { fileURLToPath } from 'node:url';
import { type ChildServer, freePort, MockIssuer, startServer } from '@repo/test-fixtures';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The Node build (`pnpm start`), as a process: SIGTERM lets the request in flight finish.
let issuer: MockIssuer;
let app: ChildServer;
let origin: string;

beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['EdDSA'] });
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  app = await startServer({
    command: [process.execPath, 'dist/index.js'],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { PORT: String(port), JWT_ISSUER: issuer.url },
    health: `${origin}/health`,
  });
});
afterAll(async () => {
  await app.stop();
  await issuer.close();
});

it('on SIGTERM: stops accepting, lets the request in flight finish, then exits 0', async () => {
  await issuer.fault('delay'); // the JWKS answers after 2.5 s: the request below waits on it
  const token = issuer.mint();
  const before = issuer.jwksRequests;
  const inFlight = fetch(`${origin}/protected`, { headers: { authorization: `Bearer ${token}` } });
  await expect.poll(() => issuer.jwksRequests).toBe(before + 1);
  const started = Date.now();
  app.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 200));
  await expect(fetch(`${origin}/health`, { headers: { connection: 'close' } })).rejects.toThrow();

  const res = await inFlight; // answered, not reset
  expect(res.status).toBe(200);
  expect((await app.exited).code).toBe(0);
  expect(Date.now() - started).toBeLessThan(5000); // right after the request, not at the 10 s drain limit
});
