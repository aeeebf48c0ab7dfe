import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.ts';

const ISSUER = 'https://example.zuplo.app/__zuplo/issuer';

/** The variable a bad environment is blamed on, or 'ok'. */
function blamed(env: Record<string, string>): string {
  try {
    parseConfig({ JWT_ISSUER: ISSUER, ...env });
    return 'ok';
  } catch (error) {
    if (error instanceof ConfigError) return error.variable;
    throw error;
  }
}

describe('parseConfig', () => {
  it('applies the defaults with JWT_ISSUER alone', () => {
    expect(parseConfig({ JWT_ISSUER: ISSUER })).toEqual({
      port: 3001,
      issuer: ISSUER,
      jwksUri: `${ISSUER}/.well-known/jwks.json`,
      audiences: undefined,
      algorithms: ['RS256'],
      clockTolerance: 5,
    });
  });

  it('drops one trailing slash of the issuer for the JWKS URI, but keeps the issuer exact', () => {
    const config = parseConfig({ JWT_ISSUER: `${ISSUER}/` });
    expect(config.jwksUri).toBe(`${ISSUER}/.well-known/jwks.json`);
    expect(config.issuer).toBe(`${ISSUER}/`);
  });

  it('parses lists: trimmed, empty entries dropped', () => {
    const config = parseConfig({
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: ' api://one , ,api://two,',
      JWT_ALGORITHMS: 'ES256, PS256 ,RS384',
      JWT_CLOCK_TOLERANCE: '0',
      PORT: '0',
    });
    expect(config.audiences).toEqual(['api://one', 'api://two']);
    expect(config.algorithms).toEqual(['ES256', 'PS256', 'RS384']);
    expect(config.clockTolerance).toBe(0);
    expect(config.port).toBe(0);
  });

  it.each([
    [{ JWT_ISSUER: '' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: '   ' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: 'not a url' }, 'JWT_ISSUER'],
    [{ JWT_JWKS_URI: 'ftp://example.com/jwks.json' }, 'JWT_JWKS_URI'],
    [{ JWT_JWKS_URI: 'nope' }, 'JWT_JWKS_URI'],
    [{ JWT_AUDIENCE: ' , ' }, 'JWT_AUDIENCE'],
    [{ JWT_AUDIENCE: '' }, 'JWT_AUDIENCE'],
    [{ JWT_ALGORITHMS: 'EdDSA' }, 'JWT_ALGORITHMS'],
    [{ JWT_ALGORITHMS: 'RS256,HS256' }, 'JWT_ALGORITHMS'],
    [{ JWT_ALGORITHMS: 'none' }, 'JWT_ALGORITHMS'],
    [{ JWT_ALGORITHMS: 'rs256' }, 'JWT_ALGORITHMS'],
    [{ JWT_ALGORITHMS: 'ES512' }, 'JWT_ALGORITHMS'],
    [{ JWT_ALGORITHMS: ',' }, 'JWT_ALGORITHMS'],
    [{ JWT_CLOCK_TOLERANCE: '-1' }, 'JWT_CLOCK_TOLERANCE'],
    [{ JWT_CLOCK_TOLERANCE: '1.5' }, 'JWT_CLOCK_TOLERANCE'],
    [{ JWT_CLOCK_TOLERANCE: 'five' }, 'JWT_CLOCK_TOLERANCE'],
    [{ PORT: '65536' }, 'PORT'],
    [{ PORT: 'http' }, 'PORT'],
    [{ PORT: '' }, 'PORT'],
  ])('%j is refused, naming %s', (env, variable) => {
    expect(blamed(env)).toBe(variable);
  });

  it('refuses a missing JWT_ISSUER', () => {
    expect(() => parseConfig({})).toThrow(/^JWT_ISSUER: required/);
  });

  it('says why EdDSA is refused', () => {
    expect(() => parseConfig({ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'RS256, EdDSA' })).toThrow(
      /^JWT_ALGORITHMS: .*jsonwebtoken 9 cannot verify EdDSA/,
    );
  });
});
