import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { bearerChallenge } from '../src/errors.ts';

const ISSUER = 'https://gw.example/__zuplo/issuer';

/** The variable named by the ConfigError that `env` causes. */
function failure(env: Record<string, string>): string {
  try {
    loadConfig({ JWT_ISSUER: ISSUER, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split(' ')[0] ?? '';
    throw error;
  }
  return 'no error';
}

describe('loadConfig', () => {
  it('has the contract defaults', () => {
    const config = loadConfig({ JWT_ISSUER: `${ISSUER}/` });
    expect(config).toMatchObject({
      port: 3002,
      audiences: undefined,
      algorithms: ['RS256'],
      clockTolerance: 5,
    });
    expect(config.jwksUri.href).toBe(`${ISSUER}/.well-known/jwks.json`);
    expect(config.issuer).toBe(`${ISSUER}/`);
  });

  it('trims lists and drops empty entries', () => {
    const config = loadConfig({
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: ' a , ,b ',
      JWT_ALGORITHMS: 'ES256, EdDSA',
    });
    expect(config.audiences).toEqual(['a', 'b']);
    expect(config.algorithms).toEqual(['ES256', 'EdDSA']);
  });

  it.each([
    [{ JWT_ISSUER: '' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: 'not a url' }, 'JWT_ISSUER'],
    [{ JWT_JWKS_URI: 'ftp://x.example/keys' }, 'JWT_JWKS_URI'],
    [{ JWT_ALGORITHMS: 'HS256' }, 'JWT_ALGORITHMS'],
    [{ JWT_ALGORITHMS: 'none' }, 'JWT_ALGORITHMS'],
    [{ JWT_ALGORITHMS: 'rs256' }, 'JWT_ALGORITHMS'],
    [{ JWT_ALGORITHMS: ' , ' }, 'JWT_ALGORITHMS'],
    [{ JWT_AUDIENCE: ',' }, 'JWT_AUDIENCE'],
    [{ JWT_CLOCK_TOLERANCE: '-1' }, 'JWT_CLOCK_TOLERANCE'],
    [{ JWT_CLOCK_TOLERANCE: '1.5' }, 'JWT_CLOCK_TOLERANCE'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: 'http' }, 'PORT'],
  ])('%j is refused naming %s', (env, variable) => expect(failure(env)).toBe(variable));

  it('requires JWT_ISSUER', () => {
    expect(() => loadConfig({})).toThrow(/^JWT_ISSUER/);
  });
});

describe('bearerChallenge (RFC 6750 §3)', () => {
  it('puts realm first and escapes quotes and backslashes in quoted strings', () => {
    expect(bearerChallenge()).toBe('Bearer realm="api"');
    expect(bearerChallenge({ error: 'invalid_token', error_description: 'a "b" \\ c' })).toBe(
      'Bearer realm="api", error="invalid_token", error_description="a \\"b\\" \\\\ c"',
    );
  });
});
