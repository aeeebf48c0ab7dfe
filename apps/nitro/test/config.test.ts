import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/utils/config';

const ISSUER = 'https://demo.zuplo.app/__zuplo/issuer';

/** The variable a bad environment is blamed on. */
function blamed(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      expect(error.message).not.toContain('\n');
      expect(error.message).toContain(error.variable);
      return error.variable;
    }
    throw error;
  }
  return 'nothing';
}

describe('loadConfig', () => {
  it('applies the defaults', () => {
    expect(loadConfig({ JWT_ISSUER: ISSUER })).toEqual({
      port: 3003,
      issuer: ISSUER,
      jwksUri: `${ISSUER}/.well-known/jwks.json`,
      audiences: undefined,
      algorithms: ['RS256'],
      clockTolerance: 5,
    });
  });

  it('drops one trailing slash of the issuer for the default JWKS URI, and keeps the issuer exact', () => {
    const config = loadConfig({ JWT_ISSUER: `${ISSUER}/` });
    expect(config.jwksUri).toBe(`${ISSUER}/.well-known/jwks.json`);
    expect(config.issuer).toBe(`${ISSUER}/`);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '0',
      JWT_ISSUER: ISSUER,
      JWT_JWKS_URI: 'http://127.0.0.1:9/keys',
      JWT_AUDIENCE: ' api://one , ,api://two',
      JWT_ALGORITHMS: 'EdDSA, ES256,EdDSA',
      JWT_CLOCK_TOLERANCE: '0',
    });
    expect(config).toMatchObject({
      port: 0,
      jwksUri: 'http://127.0.0.1:9/keys',
      audiences: ['api://one', 'api://two'],
      algorithms: ['EdDSA', 'ES256'],
      clockTolerance: 0,
    });
  });

  it.each([
    [{}, 'JWT_ISSUER'],
    [{ JWT_ISSUER: '' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: 'not a url' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: ISSUER, JWT_JWKS_URI: 'ftp://x/keys' }, 'JWT_JWKS_URI'],
    [{ JWT_ISSUER: ISSUER, JWT_JWKS_URI: '' }, 'JWT_JWKS_URI'],
    [{ JWT_ISSUER: ISSUER, JWT_AUDIENCE: ' , ' }, 'JWT_AUDIENCE'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'none' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'RS256,HS256' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'rs256' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'ES512' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: ' , ' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_CLOCK_TOLERANCE: '-1' }, 'JWT_CLOCK_TOLERANCE'],
    [{ JWT_ISSUER: ISSUER, JWT_CLOCK_TOLERANCE: '1.5' }, 'JWT_CLOCK_TOLERANCE'],
    [{ JWT_ISSUER: ISSUER, PORT: '65536' }, 'PORT'],
    [{ JWT_ISSUER: ISSUER, PORT: 'http' }, 'PORT'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(blamed(env as Record<string, string>)).toBe(variable);
  });
});
