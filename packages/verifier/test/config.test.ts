import { describe, expect, it } from 'vitest';
import { ALGORITHMS, ConfigError, readConfig, readPort } from '../src/config.ts';

const ISSUER = 'https://my-api.zuplo.app/__zuplo/issuer';

/** The ConfigError's message, which must be one line naming `variable`. */
function refusal(env: Record<string, string>, variable: string): string {
  let error: unknown;
  try {
    readConfig(env);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const { message } = error as ConfigError;
  expect(message).toContain(variable);
  expect(message).not.toContain('\n');
  return message;
}

describe('readConfig', () => {
  it('defaults: JWKS under the issuer, aud unchecked, all nine algorithms, 5 s, 600 s', () => {
    expect(readConfig({ JWT_ISSUER: ISSUER })).toEqual({
      issuer: ISSUER,
      jwksUri: `${ISSUER}/.well-known/jwks.json`,
      audience: undefined,
      algorithms: [...ALGORITHMS],
      clockTolerance: 5,
      jwksMaxAge: 600,
    });
    expect(readConfig({ JWT_ISSUER: `${ISSUER}/` }).jwksUri).toBe(`${ISSUER}/.well-known/jwks.json`);
  });

  it('reads every variable, trimming list entries and dropping duplicates', () => {
    const config = readConfig({
      JWT_ISSUER: ISSUER,
      JWT_JWKS_URI: 'http://127.0.0.1:9/keys',
      JWT_AUDIENCE: ' api://one , api://two,api://one',
      JWT_ALGORITHMS: 'EdDSA, ES256',
      JWT_CLOCK_TOLERANCE: '0',
      JWT_JWKS_MAX_AGE: '30',
    });
    expect(config).toEqual({
      issuer: ISSUER,
      jwksUri: 'http://127.0.0.1:9/keys',
      audience: ['api://one', 'api://two'],
      algorithms: ['EdDSA', 'ES256'],
      clockTolerance: 0,
      jwksMaxAge: 30,
    });
  });

  it.each([
    ['missing issuer', {}, 'JWT_ISSUER'],
    ['empty issuer', { JWT_ISSUER: ' ' }, 'JWT_ISSUER'],
    ['issuer not a URL, no JWKS URI', { JWT_ISSUER: 'my-issuer' }, 'JWT_ISSUER'],
    ['JWKS URI not a URL', { JWT_ISSUER: ISSUER, JWT_JWKS_URI: 'not a url' }, 'JWT_JWKS_URI'],
    ['JWKS URI not http', { JWT_ISSUER: ISSUER, JWT_JWKS_URI: 'file:///etc/passwd' }, 'JWT_JWKS_URI'],
    ['HS256', { JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'HS256' }, 'JWT_ALGORITHMS'],
    ['none', { JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'RS256,none' }, 'JWT_ALGORITHMS'],
    ['an unknown algorithm', { JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'RS257' }, 'JWT_ALGORITHMS'],
    ['a lower-case algorithm', { JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'rs256' }, 'JWT_ALGORITHMS'],
    ['ES512 (not in the list)', { JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'ES512' }, 'JWT_ALGORITHMS'],
    ['an empty algorithm list', { JWT_ISSUER: ISSUER, JWT_ALGORITHMS: '' }, 'JWT_ALGORITHMS'],
    ['an empty audience list', { JWT_ISSUER: ISSUER, JWT_AUDIENCE: ' , ' }, 'JWT_AUDIENCE'],
    ['an empty audience entry', { JWT_ISSUER: ISSUER, JWT_AUDIENCE: 'a,,b' }, 'JWT_AUDIENCE'],
    ['tolerance not a number', { JWT_ISSUER: ISSUER, JWT_CLOCK_TOLERANCE: 'five' }, 'JWT_CLOCK_TOLERANCE'],
    ['negative tolerance', { JWT_ISSUER: ISSUER, JWT_CLOCK_TOLERANCE: '-5' }, 'JWT_CLOCK_TOLERANCE'],
    ['fractional tolerance', { JWT_ISSUER: ISSUER, JWT_CLOCK_TOLERANCE: '1.5' }, 'JWT_CLOCK_TOLERANCE'],
    ['max age not a number', { JWT_ISSUER: ISSUER, JWT_JWKS_MAX_AGE: '10m' }, 'JWT_JWKS_MAX_AGE'],
    ['max age empty', { JWT_ISSUER: ISSUER, JWT_JWKS_MAX_AGE: '' }, 'JWT_JWKS_MAX_AGE'],
    ['JWKS URI empty', { JWT_ISSUER: ISSUER, JWT_JWKS_URI: '' }, 'JWT_JWKS_URI'],
    ['max age absurd', { JWT_ISSUER: ISSUER, JWT_JWKS_MAX_AGE: '9'.repeat(30) }, 'JWT_JWKS_MAX_AGE'],
  ])('refuses %s, naming the variable in one line', (_, env, variable) => {
    refusal(env, variable);
  });

  it.each([
    ['JWT_JWKS_URI', { JWT_ISSUER: ISSUER, JWT_JWKS_URI: 'https://user:s3cret@keys.example/jwks.json' }],
    ['JWT_JWKS_URI', { JWT_ISSUER: ISSUER, JWT_JWKS_URI: 'https://user@keys.example/jwks.json' }],
    ['JWT_ISSUER', { JWT_ISSUER: 'https://user:s3cret@my-api.zuplo.app/__zuplo/issuer' }],
  ])('refuses credentials in %s without echoing them', (variable, env) => {
    const message = refusal(env, variable);
    expect(message).toBe(`${variable} must be an http(s) URL without a user name or password.`);
  });

  it('lists what is allowed when an algorithm is not', () => {
    expect(refusal({ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'none' }, 'JWT_ALGORITHMS')).toBe(
      'JWT_ALGORITHMS must be a list of RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 EdDSA, got "none".',
    );
  });
});

describe('readPort', () => {
  it('falls back, or reads 0 to 65535', () => {
    expect([readPort({}, 3001), readPort({ PORT: '0' }, 1), readPort({ PORT: '65535' }, 1)]).toEqual([
      3001, 0, 65535,
    ]);
  });

  it.each(['eighty', '-1', '65536', '', '80.5'])('refuses PORT=%j naming PORT', (value) => {
    expect(() => readPort({ PORT: value }, 1)).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: expect.stringMatching(/^PORT /) }),
    );
  });
});
