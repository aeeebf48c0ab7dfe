import { describe, expect, it } from 'vitest';
import { ApiError, bearerChallenge } from '../server/utils/errors';

describe('ApiError', () => {
  it('builds the bare challenge for a missing token', () => {
    const error = ApiError.missingToken();
    expect([error.status, error.code]).toEqual([401, 'missing_token']);
    expect(error.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(Object.keys(error.body).sort()).toEqual(['error', 'message']);
  });

  it('escapes " and \\ in quoted strings (RFC 7230 §3.2.6)', () => {
    expect(bearerChallenge({ error: 'invalid_token', error_description: 'say "hi" \\ bye' })).toBe(
      'Bearer realm="api", error="invalid_token", error_description="say \\"hi\\" \\\\ bye"',
    );
  });

  it('names the scope in insufficient_scope and sends no challenge with a 503', () => {
    expect(ApiError.insufficientScope('admin').headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="admin"',
    );
    const unavailable = ApiError.unavailable(5);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers).toEqual({ 'retry-after': '5' });
  });
});
