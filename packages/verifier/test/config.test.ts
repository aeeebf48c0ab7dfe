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
  it('defaults: keys by discovery, aud unchecked, all nine algorithms, 5 s, 600 s, Authorization: Bearer', () => {
    expect(readConfig({ JWT_ISSUER: ISSUER })).toEqual({
      issuers: [ISSUER],
      jwksUri: undefined,
      audience: undefined,
      algorithms: [...ALGORITHMS],
      clockTolerance: 5,
      jwksMaxAge: 600,
      header: 'authorization',
      tokenPrefix: 'Bearer',
    });
  });

  it('takes several issuers (one per environment of the gateway), up to 16', () => {
    const preview = 'https://my-api-preview-9z8y7x.zuplo.app/__zuplo/issuer';
    expect(readConfig({ JWT_ISSUER: `${ISSUER}, ${preview}` }).issuers).toEqual([ISSUER, preview]);
    const many = Array.from({ length: 16 }, (_, i) => `https://env-${i}.zuplo.app/__zuplo/issuer`);
    expect(readConfig({ JWT_ISSUER: many.join(',') }).issuers).toHaveLength(16);
    refusal({ JWT_ISSUER: [...many, ISSUER].join(',') }, 'JWT_ISSUER');
  });

  it('reads the header options: any header name (lower-cased), any prefix word, or none', () => {
    const config = readConfig({ JWT_ISSUER: ISSUER, JWT_HEADER: 'X-Gateway-Token', JWT_TOKEN_PREFIX: '' });
    expect([config.header, config.tokenPrefix]).toEqual(['x-gateway-token', '']);
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
      issuers: [ISSUER],
      jwksUri: 'http://127.0.0.1:9/keys',
      audience: ['api://one', 'api://two'],
      algorithms: ['EdDSA', 'ES256'],
      clockTolerance: 0,
      jwksMaxAge: 30,
      header: 'authorization',
      tokenPrefix: 'Bearer',
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
    ['an empty issuer entry', { JWT_ISSUER: `${ISSUER},,https://b.example` }, 'JWT_ISSUER'],
    ['a repeated issuer', { JWT_ISSUER: `${ISSUER}, ${ISSUER}` }, 'JWT_ISSUER'],
    ['an issuer not a URL among several', { JWT_ISSUER: `${ISSUER},my-issuer` }, 'JWT_ISSUER'],
    [
      'a JWKS URI with several issuers',
      { JWT_ISSUER: `${ISSUER},https://b.example`, JWT_JWKS_URI: 'https://k.example' },
      'JWT_JWKS_URI',
    ],
    ['a header name with a space', { JWT_ISSUER: ISSUER, JWT_HEADER: 'x gateway' }, 'JWT_HEADER'],
    ['an empty header name', { JWT_ISSUER: ISSUER, JWT_HEADER: '' }, 'JWT_HEADER'],
    ['a prefix with a space', { JWT_ISSUER: ISSUER, JWT_TOKEN_PREFIX: 'Bearer ' }, 'JWT_TOKEN_PREFIX'],
  ])('refuses %s, naming the variable in one line', (_, env, variable) => {
    refusal(env, variable);
  });

  it.each([
    ['JWT_JWKS_URI', { JWT_ISSUER: ISSUER, JWT_JWKS_URI: 'https://user:s3cret@keys.example/jwks.json' }],
    ['JWT_JWKS_URI', { JWT_ISSUER: ISSUER, JWT_JWKS_URI: 'https://user@keys.example/jwks.json' }],
    ['JWT_ISSUER', { JWT_ISSUER: 'https://user:s3cret@my-api.zuplo.app/__zuplo/issuer' }],
    [
      'JWT_ISSUER',
      {
        JWT_ISSUER: 'https://user:s3cret@my-api.zuplo.app/__zuplo/issuer',
        JWT_JWKS_URI: 'https://k.example/jwks.json',
      },
    ],
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
