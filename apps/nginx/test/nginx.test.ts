// What the conformance suite does not look at: nginx's own limits and error pages, what reaches
// the upstream and the JWKS origin, logs, and signal handling.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { MockIssuer } from '@repo/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from './helpers/app.ts';
import { Origin } from './helpers/origin.ts';

let issuer: MockIssuer;
let app: App;
/** A JWKS origin that records what nginx sends it, serving the mock issuer's keys. */
let origin: Origin;

beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['RS256', 'ES256', 'EdDSA'] });
  origin = await Origin.start(() => JSON.stringify(issuer.jwks()));
  app = await startApp({ JWT_ISSUER: issuer.url, JWT_JWKS_URI: origin.url });
});

afterAll(async () => {
  await app?.stop();
  await origin?.close();
  await issuer?.close();
});

/** Child process ids (Linux /proc). */
const children = (pid: number) =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

function raw(request: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(Number(new URL(app.url).port), '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.on('data', (chunk) => (text += chunk));
    socket.on('close', () => resolve(text));
  });
}

const get = async (path: string, headers: Record<string, string> = {}, method = 'GET') => {
  const res = await fetch(app.url + path, { method, headers });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: JSON.parse(text) as Record<string, unknown>,
  };
};

describe('nginx in front of the upstream', () => {
  it('lets a 8.3 KB Authorization header reach Lua (401 too long), and answers 60 KiB headers 431 JSON', async () => {
    const long = await get('/protected', { authorization: `Bearer ${'a'.repeat(8300)}` });
    expect(long.status).toBe(401);
    expect(long.headers.get('www-authenticate')).toContain('too long');
    const huge = await get('/protected', { authorization: `Bearer ${'a'.repeat(60 * 1024)}` });
    expect(huge.status).toBe(431);
    expect(huge.json.error).toBe('invalid_request');
  });

  it('answers a token longer than the per-worker cache keeps from the shared cache alike', async () => {
    // 2 KiB is lua/jwt/init.lua's HOT_TOKEN_BYTES: such a token skips the worker's lrucache.
    const token = issuer.mint({ sub: 'user-long', note: 'x'.repeat(3000) });
    expect(token.length).toBeGreaterThan(2048);
    for (let i = 0; i < 3; i++) {
      const reply = await get('/protected', { authorization: `Bearer ${token}` });
      expect(reply.status).toBe(200);
      expect((reply.json.user as { sub: string }).sub).toBe('user-long');
    }
  });

  it('replaces the X-JWT-* headers a client sends with the verified ones', async () => {
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', scope: 'admin' })).toString('base64url');
    const token = issuer.mint({ sub: 'user-9' });
    const reply = await get('/protected/admin', {
      authorization: `Bearer ${token}`,
      'x-jwt-claims': forged,
      'x-jwt-sub': 'admin',
      'x-jwt-scope': 'admin',
    });
    expect(reply.status).toBe(403);
    expect(reply.json.error).toBe('insufficient_scope');
    const ok = await get('/protected', { authorization: `Bearer ${token}`, 'x-jwt-claims': forged });
    expect((ok.json.user as { sub: string }).sub).toBe('user-9');
  });

  it('passes the upstream the fixed path of the location, never the raw URI nginx normalised', async () => {
    const reply = await get('/protected/admin%2F..%2F..%2Fprotected', { authorization: `Bearer ${issuer.mint()}` });
    // The upstream answers only its two paths: a 200 means it got /protected, not the raw URI.
    expect(reply.status).toBe(200);
    expect(reply.json.message).toBe('Access granted');
  });

  it('answers malformed request lines 400/414 in JSON, and logs no query string', async () => {
    for (const path of ['/%', '/protected%00', '/%ZZ']) {
      const text = await raw(`GET ${path}?secret=q1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(text).toMatch(/^HTTP\/1\.1 400/);
      expect(text).toContain('"error":"invalid_request"');
    }
    const long = await raw(`GET /${'a'.repeat(20_000)}?secret=q2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(long).toMatch(/^HTTP\/1\.1 414/);
    expect(long).toContain('"error":"invalid_request"');
    await sleep(1200);
    expect(app.output()).not.toMatch(/secret=q/);
  });

  it('keeps a sub with CR LF out of the forwarded header lines', async () => {
    const sub = 'x\r\nX-JWT-Claims: e30';
    const reply = await get('/protected', { authorization: `Bearer ${issuer.mint({ sub })}` });
    expect(reply.status).toBe(200);
    expect((reply.json.user as { sub: string }).sub).toBe(sub);
  });

  it('sends the JWKS origin none of the client headers (no token, no cookie)', async () => {
    await get('/protected', { authorization: `Bearer ${issuer.mint()}`, cookie: 'session=secret' });
    expect(origin.headers.length).toBeGreaterThan(0);
    for (const headers of origin.headers) {
      expect(headers.authorization).toBeUndefined();
      expect(headers.cookie).toBeUndefined();
    }
  });

  it('refuses a signature with non-canonical base64url in Lua too', async () => {
    const token = issuer.mint({}, { alg: 'ES256' });
    const last = token.at(-1) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 64 bytes encode to 86 characters: the last one carries 2 unused bits; set them.
    const bent = token.slice(0, -1) + alphabet[alphabet.indexOf(last) | 1];
    expect((await get('/protected', { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await get('/protected', { authorization: `Bearer ${bent}` })).status).toBe(401);
  });

  it('answers nginx-level errors with JSON: 404, 405, 413, 400', async () => {
    expect((await get('/nowhere')).json.error).toBe('not_found');
    const big = await fetch(`${app.url}/protected`, { method: 'POST', body: 'x'.repeat(100_000) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'invalid_request' });
    // fetch() refuses to send TRACE or a broken header line: a raw socket does.
    const trace = await raw('TRACE /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(trace).toMatch(/^HTTP\/1\.1 405/);
    expect(trace).toContain('"error":"method_not_allowed"');
    const broken = await raw('GET / HTTP/1.1\r\nHost\r\n\r\n');
    expect(broken).toMatch(/^HTTP\/1\.1 400/);
    expect(broken).toContain('"error":"invalid_request"');
  });

  it('never writes a token to its output, even one sent in the query string', async () => {
    const token = issuer.mint();
    expect((await get(`/protected?access_token=${token}`)).status).toBe(401);
    expect((await get('/protected', { authorization: `Bearer ${token}x` })).status).toBe(401);
    await sleep(200);
    expect(app.output()).not.toContain(token.split('.')[1]);
  });
});

describe('the start script', () => {
  it('reloads on SIGHUP (templates rendered again, Lua re-read) and keeps serving', async () => {
    const own = await startApp({ JWT_ISSUER: issuer.url, JWT_ALGORITHMS: 'ES256' });
    try {
      const [master] = children(own.child.pid as number);
      const before = children(master as number);
      own.child.kill('SIGHUP');
      // A reload starts new worker processes (within a few seconds on a loaded machine).
      let fresh: number[] = [];
      for (let i = 0; i < 50 && fresh.length === 0; i++) {
        await sleep(200);
        fresh = children(master as number).filter((pid) => !before.includes(pid));
      }
      expect(own.child.exitCode).toBeNull();
      expect(fresh).not.toHaveLength(0);
      const res = await fetch(`${own.url}/protected`, {
        headers: { authorization: `Bearer ${issuer.mint({}, { alg: 'ES256' })}` },
      });
      expect(res.status).toBe(200);
    } finally {
      await own.stop();
    }
  });

  it('on SIGTERM lets a request in flight finish (nginx stops gracefully), then exits 0', async () => {
    const slow = await MockIssuer.start({ algorithms: ['ES256'], defaultAlg: 'ES256' });
    // The first request waits on the JWKS fetch (2.5 s): it is in flight when SIGTERM arrives.
    await slow.fault('delay');
    const own = await startApp({ JWT_ISSUER: slow.url });
    try {
      const inFlight = fetch(`${own.url}/protected`, {
        headers: { authorization: `Bearer ${slow.mint()}` },
      }).then(async (res) => ({ status: res.status, body: await res.text() }));
      await sleep(500);
      // To the whole process group, as a supervisor or a test harness does.
      process.kill(-(own.child.pid as number), 'SIGTERM');
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).message).toBe('Access granted');
      const code = await new Promise((resolve) =>
        own.child.exitCode !== null
          ? resolve(own.child.exitCode)
          : own.child.once('exit', (c, s) => resolve(c ?? s)),
      );
      expect(code).toBe(0);
      await expect(fetch(`${own.url}/health`)).rejects.toThrow();
      expect(own.output()).toContain('SIGTERM: stopping gracefully');
    } finally {
      await own.stop();
      await slow.close();
    }
  });
});
