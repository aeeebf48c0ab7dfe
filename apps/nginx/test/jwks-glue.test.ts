// njs/jwks.js with a stand-in for nginx's request object: what counts as a failed fetch, the
// backoff mark, and the warning for a key set with no usable key. keys.test.ts runs it in nginx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jwks from '../njs/jwks.js';

interface Reply {
  status: number;
  headersOut: Record<string, string>;
  responseText: string;
}
const ok = (body: unknown): Reply => ({ status: 200, headersOut: {}, responseText: JSON.stringify(body) });
const rsa = { kty: 'RSA', kid: 'r', n: 'AQAB', e: 'AQAB' };

/** A request whose subrequests answer from `answers` ("uri?args", or "uri" for any args). */
function request(answers: Record<string, Reply>, args: Record<string, string> = {}) {
  const asked: string[] = [];
  const warned: string[] = [];
  const r = {
    args,
    headersOut: {} as Record<string, string>,
    status: 0,
    body: '',
    warn: (line: string) => warned.push(line),
    log() {},
    async subrequest(uri: string, options?: { args: string }) {
      const key = options?.args ? `${uri}?${options.args}` : uri;
      asked.push(key);
      return answers[key] ?? answers[uri] ?? { status: 404, headersOut: {}, responseText: '' };
    },
    return(status: number, body?: string) {
      r.status = status;
      r.body = body ?? '';
    },
  };
  return { r, asked, warned };
}

beforeAll(() => {
  Object.assign(globalThis, {
    jwt_config: { jwksUri: 'https://issuer.example/jwks', algorithms: ['RS256', 'ES256'], jwksMaxAge: 600 },
  });
});
afterAll(() => {
  Reflect.deleteProperty(globalThis, 'jwt_config');
});

describe('current(): one validated fetch', () => {
  it('answers a JWK Set with its fetch time, kept for JWT_JWKS_MAX_AGE', async () => {
    const { r, warned } = request({ '/origin': ok({ keys: [rsa] }) });
    await jwks.current(r);
    expect(r.status).toBe(200);
    expect(Number(r.headersOut['X-Jwks-Fetched-At'])).toBeGreaterThan(Date.now() - 1000);
    expect(r.headersOut['X-Accel-Expires']).toMatch(/^(598|599)$/);
    expect(warned).toEqual([]);
  });

  it.each<[string, Reply, RegExp]>([
    [
      'a redirect',
      { status: 302, headersOut: {}, responseText: '' },
      /HTTP 302 \(redirects are not followed\)/,
    ],
    ['an error status', { status: 503, headersOut: {}, responseText: '' }, /HTTP 503/],
    ['a body over 512 KiB', ok({ keys: [rsa], pad: 'x'.repeat(512 * 1024) }), /larger than 512 KiB/],
    ['not a JWK Set', ok({ keys: 'none' }), /not a JWK Set/],
    ['not JSON', { status: 200, headersOut: {}, responseText: '<html>' }, /not a JWK Set/],
  ])('refuses %s with a 502 and writes the backoff mark', async (_name, reply, why) => {
    const { r, asked, warned } = request({ '/origin': reply });
    await jwks.current(r);
    expect(r.status).toBe(502);
    expect(warned.join('\n')).toMatch(why);
    expect(asked.at(-1)).toMatch(/^\/backoff\?failed=\d+$/);
  });

  it('does not contact the origin within 5 s of a failed fetch', async () => {
    const mark = (age: number): Reply => ({
      status: 200,
      headersOut: { 'X-Jwks-Failed-At': String(Date.now() - age) },
      responseText: '',
    });
    const recent = request({ '/backoff': mark(4000), '/origin': ok({ keys: [rsa] }) });
    await jwks.current(recent.r);
    expect(recent.r.status).toBe(502);
    expect(recent.asked).toEqual(['/backoff']);
    const old = request({ '/backoff': mark(5000), '/origin': ok({ keys: [rsa] }) });
    await jwks.current(old.r);
    expect(old.r.status).toBe(200);
    expect(old.asked).toEqual(['/backoff', '/origin']);
  });

  it('keeps a set with only Ed25519 keys, with one warning saying what to do', async () => {
    const { r, warned } = request({
      '/origin': ok({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'AA', kid: 'e' }] }),
    });
    await jwks.current(r);
    expect(r.status).toBe(200);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/no key this app can use.*no Ed25519.*RS256 or ES256.*`algorithm` option/);
  });
});

describe('mark(): the backoff entry', () => {
  it('stores a failure time for a few seconds, and answers 404 (never stored) when asked without one', () => {
    const set = request({}, { failed: '1234' });
    jwks.mark(set.r);
    expect(set.r.status).toBe(200);
    expect(set.r.headersOut['X-Jwks-Failed-At']).toBe('1234');
    expect(Number(set.r.headersOut['X-Accel-Expires'])).toBeGreaterThanOrEqual(5);
    const read = request({});
    jwks.mark(read.r);
    expect(read.r.status).toBe(404);
  });
});
