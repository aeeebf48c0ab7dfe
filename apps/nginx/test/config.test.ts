import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const ISSUER = 'https://example.zuplo.app/__zuplo/issuer';
const variableOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    return error instanceof ConfigError ? error.variable : `unexpected ${String(error)}`;
  }
  return 'accepted';
};

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    expect(loadConfig({ JWT_ISSUER: `${ISSUER}/` })).toEqual({
      port: 3005,
      issuers: [`${ISSUER}/`],
      jwksUri: undefined,
      audiences: undefined,
      algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'],
      clockTolerance: 5,
      jwksMaxAge: 600,
      header: 'authorization',
      tokenPrefix: 'Bearer',
    });
    expect(loadConfig({ JWT_ISSUER: ISSUER, JWT_JWKS_MAX_AGE: '2' }).jwksMaxAge).toBe(2);
  });
  it('trims lists and drops empty entries', () => {
    const config = loadConfig({
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: ' a , ,b',
      JWT_ALGORITHMS: 'ES256, PS512,',
    });
    expect(config.audiences).toEqual(['a', 'b']);
    expect(config.algorithms).toEqual(['ES256', 'PS512']);
  });
  it('takes a list of issuers, the header and the prefix (empty: the whole value)', () => {
    const config = loadConfig({
      JWT_ISSUER: `${ISSUER}, https://other.example/iss`,
      JWT_HEADER: 'X-Gateway-Token',
      JWT_TOKEN_PREFIX: '',
    });
    expect(config.issuers).toEqual([ISSUER, 'https://other.example/iss']);
    expect([config.header, config.tokenPrefix]).toEqual(['x-gateway-token', '']);
    const many = Array.from({ length: 16 }, (_, i) => `${ISSUER}${i}`);
    expect(loadConfig({ JWT_ISSUER: many.join(',') }).issuers).toHaveLength(16);
    expect(variableOf({ JWT_ISSUER: [...many, 'https://x.example'].join(',') })).toBe('JWT_ISSUER');
  });
  it('never echoes a password', () => {
    expect(() => loadConfig({ JWT_ISSUER: ISSUER, JWT_JWKS_URI: 'https://u:secret@example/jwks' })).toThrow(
      /^JWT_JWKS_URI /,
    );
    try {
      loadConfig({ JWT_ISSUER: 'https://u:secret@example/iss' });
    } catch (error) {
      expect(String(error)).not.toContain('secret');
    }
  });
  it.each([
    [{}, 'JWT_ISSUER'],
    [{ JWT_ISSUER: `${ISSUER},` }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: `${ISSUER}, ,https://b.example` }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: `${ISSUER},${ISSUER}` }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: 'https://u:p@example/iss' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: 'https://u:p@example/iss', JWT_JWKS_URI: 'https://keys.example/jwks' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: `${ISSUER},https://b.example`, JWT_JWKS_URI: 'https://keys.example/jwks' }, 'JWT_JWKS_URI'],
    [{ JWT_ISSUER: ISSUER, JWT_HEADER: 'x gateway' }, 'JWT_HEADER'],
    [{ JWT_ISSUER: ISSUER, JWT_HEADER: '' }, 'JWT_HEADER'],
    [{ JWT_ISSUER: ISSUER, JWT_HEADER: 'x_gateway_token' }, 'JWT_HEADER'],
    [{ JWT_ISSUER: ISSUER, JWT_TOKEN_PREFIX: 'Bearer ' }, 'JWT_TOKEN_PREFIX'],
    [{ JWT_ISSUER: '  ' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: 'not a url' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: ISSUER, JWT_JWKS_URI: 'ftp://example/jwks' }, 'JWT_JWKS_URI'],
    [{ JWT_ISSUER: ISSUER, JWT_JWKS_URI: 'https://user:pw@example/jwks' }, 'JWT_JWKS_URI'],
    [{ JWT_ISSUER: ISSUER, JWT_AUDIENCE: ' , ' }, 'JWT_AUDIENCE'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'RS256,HS256' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'none' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'rs256' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: ' ' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_CLOCK_TOLERANCE: '-1' }, 'JWT_CLOCK_TOLERANCE'],
    [{ JWT_ISSUER: ISSUER, JWT_CLOCK_TOLERANCE: '1.5' }, 'JWT_CLOCK_TOLERANCE'],
    [{ JWT_ISSUER: ISSUER, JWT_JWKS_MAX_AGE: '0' }, 'JWT_JWKS_MAX_AGE'],
    [{ JWT_ISSUER: ISSUER, JWT_JWKS_MAX_AGE: '10m' }, 'JWT_JWKS_MAX_AGE'],
    [{ JWT_ISSUER: ISSUER, JWT_JWKS_MAX_AGE: '' }, 'JWT_JWKS_MAX_AGE'],
    [{ JWT_ISSUER: ISSUER, PORT: '65536' }, 'PORT'],
    [{ JWT_ISSUER: ISSUER, PORT: 'http' }, 'PORT'],
  ])('%j is refused, naming %s', (env, variable) => {
    expect(variableOf(env)).toBe(variable);
  });
  it('accepts EdDSA in the allow-list', () => {
    expect(loadConfig({ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'RS256,EdDSA' }).algorithms).toEqual(['RS256', 'EdDSA']);
  });
});

describe('the test run without nginx', () => {
  it('fails with how to install it, and says a CI run cannot skip', async () => {
    const { missingNginx } = await import('./setup/require-nginx.ts');
    expect(missingNginx({ nginx: '/usr/sbin/nginx', lua: {} }, false)).toBeUndefined();
    expect(missingNginx({}, false)).toMatch(/^nginx is not installed.*apt-get install -y nginx-light libnginx-mod-http-lua /);
    expect(missingNginx({ nginx: '/usr/sbin/nginx' }, true)).toMatch(/^the Lua module .*CI=true/);
  });
});
