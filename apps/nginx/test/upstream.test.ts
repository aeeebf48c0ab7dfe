import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstream } from '../src/upstream.ts';

let server: Server;
let base: string;
beforeAll(async () => {
  const started = await startUpstream();
  server = started.server;
  base = `http://127.0.0.1:${started.port}`;
});
afterAll(() => server.close());

const claims = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('the example upstream', () => {
  it('answers with the claims nginx forwarded', async () => {
    const res = await fetch(`${base}/protected/admin`, {
      headers: { 'x-jwt-claims': claims({ sub: 'a', n: [1] }) },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'Access granted', user: { sub: 'a', n: [1] } });
  });
  it('refuses a request that did not come through the verifier', async () => {
    expect((await fetch(`${base}/protected`)).status).toBe(500);
    expect((await fetch(`${base}/protected`, { headers: { 'x-jwt-claims': 'not json!' } })).status).toBe(500);
  });
  it('has nothing else', async () => {
    const res = await fetch(`${base}/other`, { headers: { 'x-jwt-claims': claims({}) } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });
});
