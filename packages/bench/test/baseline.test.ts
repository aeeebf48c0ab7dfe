// nginx's /baseline (nginx/baseline.conf), the bench's own location (issue #20: never in the app
// users copy), in the real nginx app: the same-token figure is read against it.
import { existsSync } from 'node:fs';
import { freePort, startServer } from '@repo/test-fixtures';
import { expect, it, onTestFinished } from 'vitest';
import { NGINX_BASELINE, REPO } from '../src/entries.ts';

const call = async (url: string, headers: Record<string, string>) => {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.json() };
};

it('proxies to the same upstream without auth, the bearer payload unverified as X-JWT-Claims', async () => {
  expect(existsSync(`${REPO}apps/nginx/dist/start.js`), 'turbo builds nginx-app before this test').toBe(true);
  const port = await freePort();
  const nginx = await startServer({
    name: 'the nginx app',
    command: ['node', 'dist/start.js'],
    cwd: `${REPO}apps/nginx`,
    // Never fetched: /baseline verifies nothing.
    env: { PORT: `${port}`, JWT_ISSUER: 'http://127.0.0.1:9/issuer', NGINX_INCLUDE: NGINX_BASELINE },
    health: `http://127.0.0.1:${port}/health`,
  });
  onTestFinished(async () => void (await nginx.stop(15_000)));
  const url = `http://127.0.0.1:${port}/baseline`;
  // A client's own X-JWT-Claims is replaced, as /protected replaces it.
  expect(await call(url, { 'x-jwt-claims': 'eyJhZG1pbiI6dHJ1ZX0' })).toEqual({
    status: 200,
    body: { message: 'Access granted', user: { sub: 'baseline' } },
  });
  // With a bearer token, its payload goes up unverified: the upstream does what /protected makes it do.
  const token = `e30.${Buffer.from('{"sub":"someone"}').toString('base64url')}.not-checked`;
  expect(await call(url, { authorization: `Bearer ${token}`, 'x-jwt-claims': 'e30' })).toEqual({
    status: 200,
    body: { message: 'Access granted', user: { sub: 'someone' } },
  });
  // /protected still verifies: the include adds a location, it changes nothing else.
  expect(
    (await call(`http://127.0.0.1:${port}/protected`, { authorization: `Bearer ${token}` })).status,
  ).toBe(401);
}, 30_000);
