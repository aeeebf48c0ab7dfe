import { describe, expect, it } from 'vitest';
import {
  bearerChallenge,
  insufficientScope,
  invalidToken,
  missingToken,
  temporarilyUnavailable,
} from '../src/errors.ts';

describe('errors', () => {
  it('escapes " and \\ in quoted strings (RFC 7230 §3.2.6)', () => {
    expect(bearerChallenge({ error: 'invalid_token', error_description: 'a "b" \\c' })).toBe(
      'Bearer realm="api", error="invalid_token", error_description="a \\"b\\" \\\\c"',
    );
  });

  it('builds each challenge of the contract', () => {
    expect(missingToken().headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="api"' });
    expect(insufficientScope('admin').headers).toEqual({
      'WWW-Authenticate': 'Bearer realm="api", error="insufficient_scope", scope="admin"',
    });
    const invalid = invalidToken('The token has expired.');
    expect([invalid.status, invalid.code]).toEqual([401, 'invalid_token']);
    expect(invalid.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token has expired."',
    );
    const unavailable = temporarilyUnavailable(10);
    expect([unavailable.status, unavailable.code, unavailable.headers]).toEqual([
      503,
      'temporarily_unavailable',
      { 'Retry-After': '10' },
    ]);
  });

  it('serializes to exactly error and message', () => {
    expect(JSON.parse(JSON.stringify(invalidToken('x')))).toEqual({
      error: 'invalid_token',
      message: 'The bearer token is not valid.',
    });
  });
});
