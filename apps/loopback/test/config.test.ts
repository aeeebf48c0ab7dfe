import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_PORT, loadConfig } from '../src/config';

const ISSUER = 'https://example.zuplo.app/__zuplo/issuer';

/** The message of the ConfigError that `env` produces: it must name the variable. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('applies the defaults with only JWT_ISSUER', () => {
    expect(loadConfig({ JWT_ISSUER: ISSUER })).toEqual({
      port: DEFAULT_PORT,
      issuer: ISSUER,
      jwksUri: `${ISSUER}/.well-known/jwks.json`,
      audiences: undefined,
      algorithms: ['RS256'],
      clockTolerance: 5,
    });
  });

  it('strips one trailing slash from the issuer for the default JWKS URI, but keeps iss exact', () => {
    const config = loadConfig({ JWT_ISSUER: `${ISSUER}/` });
    expect(config.jwksUri).toBe(`${ISSUER}/.well-known/jwks.json`);
    expect(config.issuer).toBe(`${ISSUER}/`);
  });

  it('parses lists: trimmed, empty entries dropped', () => {
    const config = loadConfig({
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: ' api://one, ,api://two ',
      JWT_ALGORITHMS: 'ES256, PS256,',
      JWT_CLOCK_TOLERANCE: '0',
      PORT: '0',
      JWT_JWKS_URI: 'http://127.0.0.1:9/keys',
    });
    expect(config).toMatchObject({
      audiences: ['api://one', 'api://two'],
      algorithms: ['ES256', 'PS256'],
      clockTolerance: 0,
      port: 0,
      jwksUri: 'http://127.0.0.1:9/keys',
    });
  });

  it.each([
    [{}, 'JWT_ISSUER'],
    [{ JWT_ISSUER: '  ' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: 'not a url' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: ISSUER, JWT_JWKS_URI: 'ftp://example.com/keys' }, 'JWT_JWKS_URI'],
    [{ JWT_ISSUER: ISSUER, JWT_JWKS_URI: '' }, 'JWT_JWKS_URI'],
    [{ JWT_ISSUER: ISSUER, JWT_AUDIENCE: ' , ' }, 'JWT_AUDIENCE'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'HS256' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'RS256,none' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'rs256' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: '' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_CLOCK_TOLERANCE: '-1' }, 'JWT_CLOCK_TOLERANCE'],
    [{ JWT_ISSUER: ISSUER, JWT_CLOCK_TOLERANCE: '1.5' }, 'JWT_CLOCK_TOLERANCE'],
    [{ JWT_ISSUER: ISSUER, PORT: '65536' }, 'PORT'],
    [{ JWT_ISSUER: ISSUER, PORT: 'http' }, 'PORT'],
  ])('refuses %j naming %s', (env, variable) => {
    const message = refusal(env as Record<string, string>);
    expect(message).toContain(variable);
    expect(message).not.toContain('\n');
  });

  it('refuses EdDSA and says why (jsonwebtoken 9 cannot verify it)', () => {
    const message = refusal({ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'RS256, EdDSA' });
    expect(message).toMatch(/JWT_ALGORITHMS.*EdDSA.*jsonwebtoken/);
  });
});
