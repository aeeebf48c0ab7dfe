import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELAY_MS, HUGE_BYTES, MockIssuer, paddedJwks, requestToken, SLOW_MS } from '../src/index.ts';

let issuer: MockIssuer;
beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['ES256'] });
});
afterAll(() => issuer.close());

const fetchJwks = () => fetch(issuer.jwksUri, { signal: AbortSignal.timeout(2000) });

describe('rotation', () => {
  it('publishes a new key and retires the old one', async () => {
    const old = issuer.key('ES256');
    const next = await issuer.publish('ES256');
    issuer.retire(old.kid);
    const kids = ((await (await fetchJwks()).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    expect(kids).toEqual([next.kid]);
  });
});

describe('faults', () => {
  it('counts JWKS requests at both JWKS paths', async () => {
    const before = issuer.jwksRequests;
    await fetchJwks();
    await fetch(issuer.altJwksUri);
    expect(issuer.jwksRequests).toBe(before + 2);
  });

  it('answers 500, garbage and a non-JWKS, then recovers', async () => {
    await issuer.fault('error');
    expect((await fetchJwks()).status).toBe(500);
    await issuer.fault('garbage');
    await expect((await fetchJwks()).json()).rejects.toThrow();
    await issuer.fault('not-a-jwks');
    expect(await (await fetchJwks()).json()).toMatchObject({ keys: 'none' });
    await issuer.fault(null);
    expect((await fetchJwks()).status).toBe(200);
  });

  it('answers as the test says, for what has no name', async () => {
    await issuer.fault((res) => res.writeHead(404).end('gone'));
    const res = await fetchJwks();
    expect([res.status, await res.text()]).toEqual([404, 'gone']);
    await issuer.fault(null);
  });

  it('refuses connections, then listens again on the same port', async () => {
    await issuer.fault('refuse');
    await fetchJwks().catch(() => undefined); // a pooled keep-alive socket fails first
    await expect(fetchJwks()).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    await issuer.fault(null);
    expect((await fetchJwks()).status).toBe(200);
  });

  it('waits for its port when another socket took it during the refusal', async () => {
    await issuer.fault('refuse');
    const squatter = createServer();
    await new Promise<void>((resolve) =>
      squatter.listen(Number(new URL(issuer.url).port), '127.0.0.1', resolve),
    );
    const back = issuer.fault(null);
    await sleep(300);
    await new Promise((resolve) => squatter.close(resolve));
    await back;
    expect((await fetchJwks()).status).toBe(200);
  });

  it('redirects to a place on the issuer that serves the keys and counts its hits', async () => {
    await issuer.fault('redirect');
    const moved = await fetch(issuer.jwksUri, { redirect: 'manual' });
    expect(moved.status).toBe(302);
    expect(issuer.redirectTargetRequests).toBe(0);
    const followed = await fetch(issuer.jwksUri);
    expect(((await followed.json()) as { keys: unknown[] }).keys).toHaveLength(1);
    expect(issuer.redirectTargetRequests).toBe(1);
    await issuer.fault(null);
  });

  it.each(['huge', 'huge-chunked'] as const)(
    '%s: a 1 MiB JWK Set, valid JSON, real keys first',
    async (kind) => {
      await issuer.fault(kind);
      const res = await fetchJwks();
      expect(res.headers.get('content-length')).toBe(kind === 'huge' ? String(HUGE_BYTES) : null);
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.length).toBe(HUGE_BYTES);
      const jwks = JSON.parse(body.toString()) as { keys: { kid: string }[] };
      expect(jwks.keys[0]?.kid).toBe(issuer.key('ES256').kid);
      await issuer.fault(null);
    },
  );

  it('pads an empty key set too', () => {
    expect(JSON.parse(paddedJwks([], 4096).toString()).keys.length).toBeGreaterThan(0);
    expect(paddedJwks([], 4096).length).toBe(4096);
  });

  it('delays the real answer by DELAY_MS, inside the 5 s timeout', async () => {
    expect(DELAY_MS).toBeLessThan(5000);
    await issuer.fault('delay');
    const t0 = Date.now();
    const res = await fetch(issuer.jwksUri);
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(DELAY_MS - 50);
    await issuer.fault(null);
  });

  it('records when each JWKS request arrived', async () => {
    const before = issuer.jwksRequestTimes.length;
    const t0 = Date.now();
    await fetchJwks();
    expect(issuer.jwksRequestTimes.length).toBe(before + 1);
    expect(issuer.jwksRequestTimes.at(-1)).toBeGreaterThanOrEqual(t0);
  });

  it('answers slower than the app timeout, until the fault is cleared', async () => {
    expect(SLOW_MS).toBeGreaterThan(5000);
    await issuer.fault('slow');
    await expect(fetchJwks()).rejects.toMatchObject({ name: 'TimeoutError' });
    const pending = fetch(issuer.jwksUri);
    await issuer.fault(null);
    expect((await pending).status).toBe(200);
  });
});

describe('the mint endpoint', () => {
  it('mints with the requested claims', async () => {
    const token = await requestToken(issuer.origin, {
      alg: 'ES256',
      scope: 'read admin',
      aud: 'api',
      exp: 60,
    });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(payload).toMatchObject({ iss: issuer.url, scope: 'read admin', aud: 'api' });
  });

  it('mints EdDSA-less issuers with their first key, and adds the extra claims', async () => {
    const token = await requestToken(issuer.origin, {
      claims: { tenant: 'acme', sub: 'ignored' },
      sub: 'u1',
    });
    const [h = '', p = ''] = token.split('.');
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toMatchObject({ tenant: 'acme', sub: 'u1' });
  });

  it('mints an expired token for a negative exp', async () => {
    const token = await requestToken(issuer.origin, { exp: -60 });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      exp: number;
    };
    expect(payload.exp).toBeLessThan(Date.now() / 1000 - 55);
  });

  it('refuses an algorithm it has no key for', async () => {
    await expect(requestToken(issuer.origin, { alg: 'RS256' })).rejects.toThrow('no RS256 key');
  });
});
