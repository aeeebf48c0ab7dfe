import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JwksServer, makeKey } from './support/jwks-server.ts';

// The Node build (`pnpm start`), as a process: SIGTERM lets the request in flight finish.
let jwks: JwksServer;
let app: ChildProcess;
let origin: string;

beforeAll(async () => {
  jwks = await JwksServer.start([await makeKey('EdDSA', 'ed-1')]);
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  app = spawn(process.execPath, ['dist/index.js'], {
    cwd,
    env: { PATH: process.env.PATH, PORT: '0', JWT_ISSUER: jwks.issuer },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  for await (const chunk of app.stdout ?? []) {
    out += chunk;
    const port = /listening on port (\d+)/.exec(out)?.[1];
    if (port) {
      origin = `http://127.0.0.1:${port}`;
      break;
    }
  }
});
afterAll(async () => {
  if (app.exitCode === null) app.kill('SIGKILL');
  await jwks.close();
});

it('on SIGTERM: stops accepting, lets the request in flight finish, then exits 0', async () => {
  expect((await fetch(`${origin}/health`)).status).toBe(200);
  jwks.mode = 'slow'; // the JWKS answers after 2 s: the request below waits on it
  const token = await jwks.sign(jwks.keys[0] as Awaited<ReturnType<typeof makeKey>>);
  const inFlight = fetch(`${origin}/protected`, { headers: { authorization: `Bearer ${token}` } });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const exited = once(app, 'exit');
  const started = Date.now();
  app.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 200));
  await expect(fetch(`${origin}/health`, { headers: { connection: 'close' } })).rejects.toThrow();

  const res = await inFlight; // answered, not reset (the slow JWKS has no key for it: 401)
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ error: 'invalid_token' });
  const [code] = await exited;
  expect(code).toBe(0);
  expect(Date.now() - started).toBeLessThan(5000); // right after the request, not at the 10 s drain limit
});
