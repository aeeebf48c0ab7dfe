import { describe, expect, it } from 'vitest';
import { AuthError, bearerChallenge } from '../src/errors.ts';

describe('bearerChallenge', () => {
  it('is realm="api" alone, or followed by quoted auth-params with " and \\ escaped', () => {
    expect(bearerChallenge()).toBe('Bearer realm="api"');
    expect(bearerChallenge({ error: 'invalid_token', error_description: 'a "b" \\c' })).toBe(
      'Bearer realm="api", error="invalid_token", error_description="a \\"b\\" \\\\c"',
    );
  });
});

describe('AuthError', () => {
  it.each([
    [AuthError.missingToken(), 401, 'missing_token', { 'www-authenticate': 'Bearer realm="api"' }],
    [
      AuthError.invalidToken('The token has expired.'),
      401,
      'invalid_token',
      {
        'www-authenticate':
          'Bearer realm="api", error="invalid_token", error_description="The token has expired."',
      },
    ],
    [
      AuthError.insufficientScope('admin'),
      403,
      'insufficient_scope',
      { 'www-authenticate': 'Bearer realm="api", error="insufficient_scope", scope="admin"' },
    ],
    [AuthError.unavailable(), 503, 'temporarily_unavailable', { 'retry-after': '5' }],
    [AuthError.serverError(), 500, 'server_error', {}],
  ])('%o carries its status, code, headers and a one-sentence body', (error, status, code, headers) => {
    expect([error.status, error.code, error.headers]).toEqual([status, code, headers]);
    expect(Object.keys(error.body)).toEqual(['error', 'message']);
    expect(error.body.error).toBe(code);
    expect(error.body.message).toMatch(/^[A-Z].*\.$/);
    expect(Object.isFrozen(error.body)).toBe(true);
  });

  it('from(): an AuthError passes unchanged; anything else becomes a 500 that reveals nothing', () => {
    const missing = AuthError.missingToken();
    expect(AuthError.from(missing)).toBe(missing);
    const bug = AuthError.from(new TypeError('secret internal detail'));
    expect([bug.status, bug.code]).toEqual([500, 'server_error']);
    expect(JSON.stringify(bug.body)).not.toMatch(/secret|TypeError/);
    expect(AuthError.from('a string').code).toBe('server_error');
  });
});
